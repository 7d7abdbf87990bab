import { describe, expect, it, vi } from 'vitest';
import { createFirestoreStore, firestoreDocumentId } from './firestore-store.js';
import { KeyValueStoreError } from './kv-store.js';
import { freePort, gcpEmulatorsForTests, keyValueStoreSuite } from './testing/index.js';

// The real Firestore emulator; a project of its own keeps this file's documents apart from other tests'.
keyValueStoreSuite('firestore store', async () => {
  const { firestore } = await gcpEmulatorsForTests();
  // A generous timeout: a client's first request loads and connects, which takes seconds on a busy machine.
  return createFirestoreStore({ emulatorHost: firestore, projectId: `demo-kv-${process.pid}`, keyPrefix: 'kvtest:', timeoutMs: 60_000 });
});

describe('firestore document ids', () => {
  it('escape the path separator and the escape character, and refuse what Firestore cannot store', () => {
    expect(firestoreDocumentId('slack:message:T1:C1:1.2')).toBe('slack:message:T1:C1:1.2');
    expect(firestoreDocumentId('rate:a/b%c')).toBe('rate:a%2Fb%25c');
    expect(() => firestoreDocumentId('..')).toThrow(KeyValueStoreError);
    expect(() => firestoreDocumentId('__reserved__')).toThrow(KeyValueStoreError);
    expect(() => firestoreDocumentId('k'.repeat(1501))).toThrow(/too long/);
  });
});

describe('the firestore store when Firestore is down', () => {
  it('fails with a KeyValueStoreError within its timeout', async () => {
    // The client library lets FIRESTORE_EMULATOR_HOST override the host it is given; this test needs its own.
    vi.stubEnv('FIRESTORE_EMULATOR_HOST', undefined);
    const store = createFirestoreStore({ emulatorHost: `127.0.0.1:${await freePort()}`, projectId: 'demo-down', timeoutMs: 1500 });
    const started = Date.now();
    await expect(store.setIfAbsent('k', 'v', 1000)).rejects.toBeInstanceOf(KeyValueStoreError);
    expect(Date.now() - started).toBeLessThan(10_000);
    await store.close();
    vi.unstubAllEnvs();
  });
});
