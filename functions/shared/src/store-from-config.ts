/**
 * The one place a function's key-value store is made from its config. `namespace` (the function's name)
 * keeps the functions' keys apart when they share one Redis.
 */
import type { StoreConfig } from './config.js';
import type { KeyValueStore } from './kv-store.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';

export function createKeyValueStore(config: StoreConfig, namespace: string): KeyValueStore {
  switch (config.kind) {
    case 'redis':
      return createRedisStore(config.url, { keyPrefix: `mimicbot:${namespace}:` });
    case 'memory':
      return createMemoryStore();
  }
}
