/**
 * A small key-value store with expiry, enough for dedupe leases, rate-limit counters, "last id seen" and the
 * bookkeeping that makes a reply happen once. Three implementations behave alike (kv-store.test.ts runs one
 * suite against each): this process's memory (one instance), Redis, and Firestore (instances agree, state
 * outlives them).
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
  /**
   * Replaces the value only if it is still `expected` (and not expired), atomically; the new value gets
   * `ttlMs` (none: no expiry). True when it replaced. A lease holder moves its key on with this, so a holder
   * whose lease lapsed and was taken over cannot overwrite its successor's state.
   */
  compareAndSet(key: string, expected: string, value: string, ttlMs?: number): Promise<boolean>;
  /** Deletes the key only if its value is still `expected`, atomically. True when it deleted. */
  compareAndDelete(key: string, expected: string): Promise<boolean>;
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
