import { describe, expect, it } from 'vitest';
import type { SamplingParams } from '../engine/types.js';
import { cacheKey, CompletionCache, isRepeatable, samplingKey } from './completion-cache.js';

const GREEDY: SamplingParams = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };

describe('CompletionCache', () => {
  it('returns what was stored under a key until its time to live is over', () => {
    let now = 1_000;
    const cache = new CompletionCache<{ text: string }>({ ttlMs: 500, maxEntries: 10, maxBytes: 10_000 }, () => now);
    cache.set('k', { text: 'hello' });
    now += 499;
    expect(cache.get('k')).toEqual({ text: 'hello' });
    now += 2;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.entries).toBe(0);
  });

  it('drops the least recently used answer past its entry bound', () => {
    const cache = new CompletionCache<{ n: number }>({ ttlMs: 60_000, maxEntries: 2, maxBytes: 10_000 });
    cache.set('a', { n: 1 });
    cache.set('b', { n: 2 });
    cache.get('a'); // a is now more recent than b
    cache.set('c', { n: 3 });
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([{ n: 1 }, undefined, { n: 3 }]);
  });

  it('counts bytes of JSON and keys against its byte bound, and keeps no answer bigger than the whole cache', () => {
    const cache = new CompletionCache<{ text: string }>({ ttlMs: 60_000, maxEntries: 100, maxBytes: 100 });
    cache.set('k1', { text: 'x'.repeat(30) }); // {"text":"..."} = 41 bytes + 2 for the key
    expect(cache.bytes).toBe(43);
    cache.set('k2', { text: 'y'.repeat(30) });
    cache.set('k3', { text: 'z'.repeat(30) }); // 129 > 100: k1 goes
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.entries).toBe(2);
    cache.set('big', { text: 'w'.repeat(200) });
    expect(cache.get('big')).toBeUndefined();
    expect(cache.entries).toBe(2);
  });

  it('stores nothing when its entry bound is 0', () => {
    const cache = new CompletionCache<{ n: number }>({ ttlMs: 60_000, maxEntries: 0, maxBytes: 100 });
    cache.set('a', { n: 1 });
    expect(cache.enabled).toBe(false);
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('what may be cached', () => {
  it('is a greedy or a seeded request, never an unseeded sampled one', () => {
    expect(isRepeatable(GREEDY)).toBe(true);
    expect(isRepeatable({ ...GREEDY, temperature: 0.8, seed: 3 })).toBe(true);
    expect(isRepeatable({ ...GREEDY, temperature: 0.8 })).toBe(false);
  });

  it('has a key that changes with the kind, the model and each setting, and not with how the settings object was built', () => {
    const key = (kind: string, model: string, sampling = GREEDY, rest: unknown[] = ['p', 16]) => cacheKey(kind, model, [...samplingKey(sampling), ...rest]);
    const base = key('completions', 'a');
    expect(key('completions', 'a', { repetitionPenalty: 1, topP: 1, topK: 0, temperature: 0 })).toBe(base);
    const variants = [
      key('gpt2-cloud-run', 'a'),
      key('completions', 'b'),
      key('completions', 'a', { ...GREEDY, topK: 5 }),
      key('completions', 'a', { ...GREEDY, topP: 0.9 }),
      key('completions', 'a', { ...GREEDY, repetitionPenalty: 1.2 }),
      key('completions', 'a', { ...GREEDY, seed: 1 }),
      key('completions', 'a', GREEDY, ['p', 17]),
      key('completions', 'a', GREEDY, ['q', 16]),
      key('completions', 'a', GREEDY, ['p', 16, undefined]),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });
});
