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
  /** Keeps this limit's counts apart from another's on the same store (default `rate`). */
  keyPrefix?: string;
  now?: () => number;
}

export type RateLimitResult = { allowed: true; remaining: number } | { allowed: false; retryAfterS: number };

export function createRateLimiter(options: RateLimitOptions) {
  const now = options.now ?? Date.now;
  const prefix = options.keyPrefix ?? 'rate';
  return async function take(clientId: string): Promise<RateLimitResult> {
    const at = now();
    const window = Math.floor(at / options.windowMs);
    const count = await options.store.increment(`${prefix}:${clientId}:${window}`, 1, options.windowMs);
    if (count <= options.limit) return { allowed: true, remaining: options.limit - count };
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil(((window + 1) * options.windowMs - at) / 1000)) };
  };
}

/** An address is far shorter; a longer "entry" is junk and must not grow the store's keys. */
const MAX_ID_CHARS = 100;

/**
 * Who the client is. Each of the `trustedHops` proxies in front appended the address it saw to
 * X-Forwarded-For, so the entry `trustedHops` from the end is what the outermost trusted proxy saw: the
 * client. Every entry before it came from the client and may be forged. Several header lines are one list,
 * in order. With no hop trusted, or fewer entries than hops (a proxy did not append), the socket's address.
 */
export function clientId(forwardedFor: string | string[] | undefined, socketAddress: string | undefined, trustedHops: number): string {
  const socket = socketAddress ?? 'unknown';
  if (trustedHops === 0 || forwardedFor === undefined) return socket;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const entries = header
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length < trustedHops) return socket;
  return entries[entries.length - trustedHops].slice(0, MAX_ID_CHARS);
}
