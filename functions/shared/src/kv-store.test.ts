import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyValueStore } from './kv-store.js';
import { KeyValueStoreError } from './kv-store.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';
import { freePort, startRedisServer, type RunningRedis } from './testing/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same behaviour is required of every store. */
function storeSuite(name: string, open: () => KeyValueStore) {
  describe(name, () => {
    let store: KeyValueStore;
    let n = 0;
    const key = () => `test:${name}:${Date.now()}:${n++}`;
    beforeAll(() => {
      store = open();
    });
    afterAll(() => store.close());

    it('gets what was set, and nothing after delete', async () => {
      const k = key();
      expect(await store.get(k)).toBeUndefined();
      await store.set(k, 'v');
      expect(await store.get(k)).toBe('v');
      await store.delete(k);
      expect(await store.get(k)).toBeUndefined();
    });

    it('lets only the first setIfAbsent take a key, and again once it expires', async () => {
      const k = key();
      const results = await Promise.all([1, 2, 3, 4].map((i) => store.setIfAbsent(k, `holder-${i}`, 150)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBe(`holder-${results.indexOf(true) + 1}`);
      await sleep(250);
      expect(await store.get(k)).toBeUndefined();
      expect(await store.setIfAbsent(k, 'next', 1000)).toBe(true);
    });

    it('expires values set with a ttl', async () => {
      const k = key();
      await store.set(k, 'v', 100);
      await sleep(200);
      expect(await store.get(k)).toBeUndefined();
    });

    it('counts with increment and expires the counter as a whole', async () => {
      const k = key();
      expect(await store.increment(k, 1, 150)).toBe(1);
      expect(await store.increment(k, 2, 150)).toBe(3);
      await sleep(250);
      expect(await store.increment(k, 1, 150)).toBe(1);
    });
  });
}

storeSuite('memory store', () => createMemoryStore());

let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());
storeSuite('redis store', () => createRedisStore(redis.url, { keyPrefix: 'kvtest:' }));

describe('redis store when Redis is down', () => {
  it('fails with a KeyValueStoreError instead of hanging', async () => {
    const store = createRedisStore(`redis://127.0.0.1:${await freePort()}`, { connectTimeoutMs: 500 });
    await expect(store.setIfAbsent('k', 'v', 1000)).rejects.toBeInstanceOf(KeyValueStoreError);
    await store.close();
  });
});
