import { afterAll, describe, expect, it } from 'vitest';
import { KeyValueStoreError } from './kv-store.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';
import { freePort, keyValueStoreSuite, startRedisServer, type RunningRedis } from './testing/index.js';

keyValueStoreSuite('memory store', async () => createMemoryStore());

let redis: RunningRedis | undefined;
afterAll(() => redis?.stop());
keyValueStoreSuite('redis store', async () => {
  redis = await startRedisServer();
  return createRedisStore(redis.url, { keyPrefix: 'kvtest:' });
});

describe('the redis store when Redis is down', () => {
  it('fails with a KeyValueStoreError instead of hanging', async () => {
    const store = createRedisStore(`redis://127.0.0.1:${await freePort()}`, { connectTimeoutMs: 500 });
    await expect(store.setIfAbsent('k', 'v', 1000)).rejects.toBeInstanceOf(KeyValueStoreError);
    await store.close();
  });
});
