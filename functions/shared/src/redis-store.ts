import { Redis } from 'ioredis';
import { KeyValueStoreError, type KeyValueStore } from './kv-store.js';

/** INCRBY, and PEXPIRE when the key has no expiry yet (Lua: atomic, and `PEXPIRE NX` needs Redis 7). */
const INCREMENT_SCRIPT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

/** SET (with PX when a ttl is given) only if the value is still ARGV[1]. */
const COMPARE_AND_SET_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`;

/** DEL only if the value is still ARGV[1]. */
const COMPARE_AND_DELETE_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

/**
 * The store on Redis, so every instance of a function agrees. `SET NX PX` makes setIfAbsent atomic; Lua
 * scripts make increment and the compare-and-* operations atomic.
 * Commands fail fast (a 2 s connect timeout, one retry per command) so a Redis outage surfaces as a
 * KeyValueStoreError instead of a request hanging past Slack's 3 s.
 */
export function createRedisStore(url: string, options: { keyPrefix?: string; connectTimeoutMs?: number } = {}): KeyValueStore {
  const redis = new Redis(url, {
    keyPrefix: options.keyPrefix ?? 'mimicbot:',
    lazyConnect: true,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
  });
  // Errors reach callers through the commands; without a listener ioredis would print each reconnect error.
  redis.on('error', () => {});

  async function run<T>(what: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new KeyValueStoreError(`redis ${what} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  return {
    get: (key) => run('GET', async () => (await redis.get(key)) ?? undefined),
    set: (key, value, ttlMs) =>
      run('SET', async () => {
        if (ttlMs === undefined) await redis.set(key, value);
        else await redis.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)));
      }),
    setIfAbsent: (key, value, ttlMs) =>
      run('SET NX', async () => (await redis.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK'),
    compareAndSet: (key, expected, value, ttlMs) =>
      run('compare-and-set', async () => {
        const ttl = ttlMs === undefined ? '' : String(Math.max(1, Math.round(ttlMs)));
        return Number(await redis.eval(COMPARE_AND_SET_SCRIPT, 1, key, expected, value, ttl)) === 1;
      }),
    compareAndDelete: (key, expected) =>
      run('compare-and-delete', async () => Number(await redis.eval(COMPARE_AND_DELETE_SCRIPT, 1, key, expected)) === 1),
    delete: (key) =>
      run('DEL', async () => {
        await redis.del(key);
      }),
    increment: (key, by, ttlMs) =>
      run('INCRBY', async () => Number(await redis.eval(INCREMENT_SCRIPT, 1, key, by, Math.max(1, Math.round(ttlMs))))),
    close: async () => {
      redis.disconnect();
    },
  };
}
