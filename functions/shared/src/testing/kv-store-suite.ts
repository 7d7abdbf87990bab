/**
 * The behaviour every KeyValueStore must have, as one suite that kv-store.test.ts runs against the memory
 * store and Redis and firestore-store.emulators.test.ts against the Firestore emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../kv-store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Expiry in these tests: long enough that no operation (an emulator's first ones take seconds on a busy
 * machine) outlives a lease by accident, short enough to wait out.
 */
const TTL = 1500;
const PAST_TTL = 1800;

/** The same behaviour is required of every store. `open` runs in beforeAll, once the store's server is up. */
export function keyValueStoreSuite(name: string, open: () => Promise<KeyValueStore>) {
  describe(name, () => {
    let store: KeyValueStore;
    let n = 0;
    const key = () => `test:${name}:${Date.now()}:${n++}`;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(() => store?.close());

    it('gets what was set, and nothing after delete', async () => {
      const k = key();
      expect(await store.get(k)).toBeUndefined();
      await store.set(k, 'v');
      expect(await store.get(k)).toBe('v');
      await store.set(k, 'w');
      expect(await store.get(k)).toBe('w');
      await store.delete(k);
      expect(await store.get(k)).toBeUndefined();
      await store.delete(k);
    });

    it('lets only the first setIfAbsent take a key, and again once it expires', async () => {
      const k = key();
      const results = await Promise.all([1, 2, 3, 4].map((i) => store.setIfAbsent(k, `holder-${i}`, TTL)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBe(`holder-${results.indexOf(true) + 1}`);
      await sleep(PAST_TTL);
      expect(await store.get(k)).toBeUndefined();
      const again = await Promise.all([1, 2, 3].map((i) => store.setIfAbsent(k, `next-${i}`, 10_000)));
      expect(again.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBe(`next-${again.indexOf(true) + 1}`);
    });

    it('expires values set with a ttl, and a set without one lifts an earlier expiry', async () => {
      const k = key();
      await store.set(k, 'v', TTL);
      const kept = key();
      await store.set(kept, 'v', TTL);
      await store.set(kept, 'forever');
      await sleep(PAST_TTL);
      expect(await store.get(k)).toBeUndefined();
      expect(await store.get(kept)).toBe('forever');
    });

    it('replaces with compareAndSet only while the value is the expected one, and not after it expired', async () => {
      const k = key();
      expect(await store.compareAndSet(k, 'a', 'b')).toBe(false);
      expect(await store.get(k)).toBeUndefined();
      await store.set(k, 'lease-1', 10_000);
      expect(await store.compareAndSet(k, 'lease-2', 'stolen')).toBe(false);
      const winners = await Promise.all([1, 2, 3].map((i) => store.compareAndSet(k, 'lease-1', `next-${i}`, TTL)));
      expect(winners.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBe(`next-${winners.indexOf(true) + 1}`);
      // The new ttl applies: the value lapses, and a holder of the old value can no longer move it.
      await sleep(PAST_TTL);
      expect(await store.get(k)).toBeUndefined();
      expect(await store.compareAndSet(k, `next-${winners.indexOf(true) + 1}`, 'late')).toBe(false);
      expect(await store.setIfAbsent(k, 'fresh', 10_000)).toBe(true);
    });

    it('deletes with compareAndDelete only while the value is the expected one', async () => {
      const k = key();
      await store.set(k, 'mine', 10_000);
      expect(await store.compareAndDelete(k, 'theirs')).toBe(false);
      expect(await store.get(k)).toBe('mine');
      expect(await store.compareAndDelete(k, 'mine')).toBe(true);
      expect(await store.get(k)).toBeUndefined();
      expect(await store.compareAndDelete(k, 'mine')).toBe(false);
    });

    it('counts with increment, also when callers race, and expires the counter as a whole', async () => {
      const k = key();
      expect(await store.increment(k, 1, TTL)).toBe(1);
      expect(await store.increment(k, 2, TTL)).toBe(3);
      const raced = await Promise.all([1, 2, 3, 4].map(() => store.increment(k, 1, TTL)));
      expect(raced.sort()).toEqual([4, 5, 6, 7]);
      await sleep(PAST_TTL);
      expect(await store.increment(k, 1, TTL)).toBe(1);
    });

    it('keeps keys with slashes, percent signs and dots apart', async () => {
      const base = key();
      const keys = [`${base}:a/b`, `${base}:a%2Fb`, `${base}:..`, `${base}:a%b`];
      for (const [i, k] of keys.entries()) await store.set(k, String(i));
      expect(await Promise.all(keys.map((k) => store.get(k)))).toEqual(['0', '1', '2', '3']);
    });
  });
}

