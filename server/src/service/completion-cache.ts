import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { SamplingParams } from '../engine/types.js';

export interface CompletionCacheLimits {
  /** How long an answer is reused, in milliseconds. */
  ttlMs: number;
  /** Most answers kept; 0 turns the cache off. */
  maxEntries: number;
  /** Most bytes of answers (their JSON) kept, keys included. */
  maxBytes: number;
}

/** Whether the lookup answered (`hit`), will store the answer (`miss`), or was not tried (`bypass`: sampled without a seed, or the cache is off). */
export type CacheOutcome = 'hit' | 'miss' | 'bypass';

/**
 * Answers to requests that repeat exactly: greedy ones (temperature 0) and seeded ones, whose output is a
 * function of the request alone. An unseeded sampled request must differ from call to call, so it is never
 * cached. Least recently used answers go first when `maxEntries` or `maxBytes` is reached; each lives `ttlMs`.
 * Keys are SHA-256 digests of everything that changes the output, so a 64 KB prompt costs 64 bytes here.
 */
export class CompletionCache<V extends object> {
  private readonly lru: LRUCache<string, { value: V; bytes: number }> | undefined;

  /** `now`: milliseconds on any monotonic scale. */
  constructor(limits: CompletionCacheLimits, now?: () => number) {
    if (limits.maxEntries === 0) return;
    this.lru = new LRUCache({
      max: limits.maxEntries,
      maxSize: limits.maxBytes,
      sizeCalculation: (entry, key) => entry.bytes + key.length,
      ttl: limits.ttlMs,
      // An expired answer is never served: lru-cache checks the age on every read.
      allowStale: false,
      // A clock passed in (tests) is read on every check; the default reads performance.now() at most once a millisecond.
      ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
    });
  }

  get enabled(): boolean {
    return this.lru !== undefined;
  }

  get entries(): number {
    return this.lru?.size ?? 0;
  }

  get bytes(): number {
    return this.lru?.calculatedSize ?? 0;
  }

  get(key: string): V | undefined {
    return this.lru?.get(key)?.value;
  }

  /** An answer bigger than the whole cache is not kept. */
  set(key: string, value: V): void {
    if (!this.lru) return;
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes + key.length > this.lru.maxSize) return;
    this.lru.set(key, { value, bytes });
  }
}

/** Whether a request with these settings gives the same output every time. */
export function isRepeatable(sampling: SamplingParams): boolean {
  return sampling.temperature === 0 || sampling.seed !== undefined;
}

/**
 * The cache key of one request: its kind (each API shapes output its own way), the model, and every
 * setting that changes the output, in a fixed order. `undefined` becomes `null` so it still takes its place.
 */
export function cacheKey(kind: string, modelId: string, settings: readonly unknown[]): string {
  const text = JSON.stringify([kind, modelId, ...settings], (_, value: unknown) => (value === undefined ? null : value));
  return createHash('sha256').update(text).digest('base64url');
}

/** The sampler's settings in a fixed order (an object's key order depends on how it was built). */
export function samplingKey(sampling: SamplingParams): unknown[] {
  return [sampling.temperature, sampling.topP, sampling.topK, sampling.repetitionPenalty, sampling.seed];
}
