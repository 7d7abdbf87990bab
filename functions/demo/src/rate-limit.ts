/**
 * A per-client fixed-window rate limit on the shared key-value store (process memory, or Redis so every
 * instance counts together). The window index is part of the key, and the key expires with its window.
 */
import type { KeyValueStore } from '@mimicbot/functions-shared';

export interface RateLimitOptions {
  store: KeyValueStore;
  /** Requests allowed per client per window. */
  limit: number;
  windowMs: number;
  now?: () => number;
}

export type RateLimitResult = { allowed: true; remaining: number } | { allowed: false; retryAfterS: number };

export function createRateLimiter(options: RateLimitOptions) {
  const now = options.now ?? Date.now;
  return async function take(clientId: string): Promise<RateLimitResult> {
    const at = now();
    const window = Math.floor(at / options.windowMs);
    const count = await options.store.increment(`rate:${clientId}:${window}`, 1, options.windowMs);
    if (count <= options.limit) return { allowed: true, remaining: options.limit - count };
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil(((window + 1) * options.windowMs - at) / 1000)) };
  };
}

/**
 * Who the client is: on Cloud Functions the last X-Forwarded-For entry is the address Google's front end
 * saw (entries before it are whatever the client sent, so they cannot be trusted); locally, the socket.
 */
export function clientId(forwardedFor: string | string[] | undefined, socketAddress: string | undefined): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const last = header?.split(',').map((part) => part.trim()).filter(Boolean).at(-1);
  return last ?? socketAddress ?? 'unknown';
}
