/**
 * The one place a function's key-value store is made from its config, and the one line at start-up that
 * says which store it is. `namespace` (the function's name) keeps the functions' keys apart when they share
 * one Redis or one Firestore database.
 */
import type { StoreConfig } from './config.js';
import { createFirestoreStore } from './firestore-store.js';
import type { Log } from './json-log.js';
import type { KeyValueStore } from './kv-store.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';

export function createKeyValueStore(config: StoreConfig, namespace: string, log?: Log): KeyValueStore {
  log?.('store_in_use', { store: config.kind, summary: describeStore(config) });
  switch (config.kind) {
    case 'redis':
      return createRedisStore(config.url, { keyPrefix: `mimicbot:${namespace}:` });
    case 'firestore':
      return createFirestoreStore({ projectId: config.projectId, databaseId: config.databaseId, emulatorHost: config.emulatorHost, keyPrefix: `${namespace}:` });
    case 'memory':
      return createMemoryStore();
  }
}

/** Which store, where, and what that means; never a password (a Redis URL may carry one). */
export function describeStore(config: StoreConfig): string {
  switch (config.kind) {
    case 'redis': {
      const url = new URL(config.url);
      return `redis at ${url.protocol}//${url.host}: shared by every instance`;
    }
    case 'firestore':
      return config.emulatorHost
        ? `firestore emulator at ${config.emulatorHost} (project ${config.projectId}, database ${config.databaseId}): local, lost when the emulator stops`
        : `firestore database ${config.databaseId}${config.projectId ? ` in project ${config.projectId}` : ''}: shared by every instance, outlives them`;
    case 'memory':
      return 'memory: this instance only; Slack claims, the mention cursor, rate limits and recent posts are lost on restart (set STORE=firestore or STORE=redis to keep them)';
  }
}
