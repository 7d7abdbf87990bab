import type { KeyValueStore } from './kv-store.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';

/** Redis when a URL is given (instances share state), process memory otherwise. */
export function createKeyValueStore(options: { redisUrl?: string; keyPrefix?: string }): KeyValueStore {
  return options.redisUrl ? createRedisStore(options.redisUrl, { keyPrefix: options.keyPrefix }) : createMemoryStore();
}
