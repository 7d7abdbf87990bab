/** When to retry a call to the model server, and how long to wait first. Pure: no clock, no I/O. */

/** Statuses worth retrying: the server is overloaded (429), or starting or restarting behind a proxy. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export interface BackoffOptions {
  /** Delay before the first retry, ms; doubled for each later one. */
  baseDelayMs: number;
  /** No single wait is longer than this, ms, not even one the server asked for with Retry-After. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 250, maxDelayMs: 10_000 };

/**
 * Delay before retry number `retry` (1 = first retry). A server's Retry-After wins when present; otherwise
 * exponential backoff with "equal jitter" (half fixed, half random) so instances that failed together do not
 * come back together. `random` is in [0, 1).
 */
export function backoffDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions,
  random: number,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), options.maxDelayMs);
  const exponential = Math.min(options.baseDelayMs * 2 ** (retry - 1), options.maxDelayMs);
  return Math.round(exponential / 2 + (exponential / 2) * random);
}

/** Parses an HTTP Retry-After header: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
