/**
 * A small key-value store with expiry, enough for dedupe leases, rate-limit counters and "last id seen".
 * In process memory by default (one instance), Redis when REDIS_URL is set (instances agree).
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  /** Sets the value; with `ttlMs` it expires then, without it lives until deleted. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /**
   * Sets the value only if the key is absent (or expired), atomically: the lease primitive. True when this
   * call took the key. The ttl makes the lease lapse if its holder dies without releasing it.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds `by` to an integer counter (absent counts as 0), setting its expiry when it is created. */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
  close(): Promise<void>;
}

export class KeyValueStoreError extends Error {
  readonly code = 'store_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyValueStoreError';
  }
}
