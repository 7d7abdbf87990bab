/**
 * The store on Firestore (Native mode), so every instance of a function agrees and state outlives them:
 * what Cloud Run functions that scale to zero need, without Redis's fixed monthly fee.
 *
 * Each key is one document of the `kv` collection: `{ value: string, expiresAt?: Timestamp }`. Firestore's
 * TTL policy on `expiresAt` (deploy/terraform/firestore.tf) deletes expired documents, but only within a
 * day or so, so every read here treats a document whose `expiresAt` has passed as absent.
 *
 * Atomicity comes from Firestore's conditional writes rather than transactions: `create` fails when the
 * document exists, and `update`/`delete` with a `lastUpdateTime` precondition fail when anyone wrote the
 * document since it was read. Each is one atomic write, checked by the server. Transactions would do the
 * same, but four of them contending for one document took 3.4-7.1 s on the emulator (it aborts and the
 * client backs off) against 70-110 ms for four conditional creates: the Slack claim must fit in Slack's 3 s.
 *
 * `@google-cloud/firestore` is imported when a Firestore store is made (loading it took 2.4-3.3 s on a busy
 * two-core machine), so functions running with another store never pay for it; an operation's timeout
 * starts once it is loaded.
 */
import type { DocumentReference, DocumentSnapshot } from '@google-cloud/firestore';
import { GRPC_ALREADY_EXISTS, grpcCode, lazyFirestore, lostRace, withinTimeout, type FirestoreClientOptions } from './firestore-client.js';
import { KeyValueStoreError, type KeyValueStore } from './kv-store.js';

/** The collection and expiry field deploy/terraform/locals.tf gives the TTL policy. */
export const FIRESTORE_COLLECTION = 'kv';
export const FIRESTORE_EXPIRY_FIELD = 'expiresAt';

export interface FirestoreStoreOptions extends FirestoreClientOptions {
  /** Put before every key (the function's name), so functions sharing a database keep apart. */
  keyPrefix?: string;
  /** Longest wait for one operation before it fails with a KeyValueStoreError. */
  timeoutMs?: number;
  now?: () => number;
}

/** Rounds of read-then-conditional-write before giving up on a document others keep writing. */
const MAX_ROUNDS = 8;

/** Firestore's limit on a document id, in bytes. */
const MAX_ID_BYTES = 1500;

/** A document id for a key: `/` separates path segments and cannot appear, so it and `%` are escaped. */
export function firestoreDocumentId(key: string): string {
  const id = key.replace(/%/g, '%25').replace(/\//g, '%2F');
  if (Buffer.byteLength(id) > MAX_ID_BYTES) throw new KeyValueStoreError(`key too long for a Firestore document id (${Buffer.byteLength(id)} bytes, at most ${MAX_ID_BYTES})`);
  if (id === '.' || id === '..' || /^__.*__$/.test(id)) throw new KeyValueStoreError(`${JSON.stringify(key)} is not a usable Firestore document id`);
  return id;
}

export function createFirestoreStore(options: FirestoreStoreOptions = {}): KeyValueStore {
  const now = options.now ?? Date.now;
  const prefix = options.keyPrefix ?? '';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const firestore = lazyFirestore(options);
  let timestamps: typeof import('@google-cloud/firestore').Timestamp;
  let fieldValues: typeof import('@google-cloud/firestore').FieldValue;

  async function db() {
    const { db, module } = await firestore.open();
    timestamps = module.Timestamp;
    fieldValues = module.FieldValue;
    return db;
  }

  async function doc(key: string): Promise<DocumentReference> {
    return (await db()).collection(FIRESTORE_COLLECTION).doc(firestoreDocumentId(`${prefix}${key}`));
  }

  function fields(value: string, ttlMs: number | undefined, forUpdate: boolean): Record<string, unknown> {
    if (ttlMs !== undefined) return { value, [FIRESTORE_EXPIRY_FIELD]: timestamps.fromMillis(now() + ttlMs) };
    // An update keeps fields it does not name: an old expiry must be removed, not left behind.
    return forUpdate ? { value, [FIRESTORE_EXPIRY_FIELD]: fieldValues.delete() } : { value };
  }

  /** The value of a document that exists and has not expired. */
  function liveValue(snapshot: DocumentSnapshot): string | undefined {
    if (!snapshot.exists) return undefined;
    const expiresAt = snapshot.get(FIRESTORE_EXPIRY_FIELD) as { toMillis(): number } | undefined;
    if (expiresAt && expiresAt.toMillis() <= now()) return undefined;
    const value = snapshot.get('value') as unknown;
    return typeof value === 'string' ? value : undefined;
  }

  function run<T>(what: string, operation: () => Promise<T>): Promise<T> {
    const fail = (message: string, cause?: unknown) => new KeyValueStoreError(message, cause === undefined ? undefined : { cause });
    return withinTimeout(firestore, what, timeoutMs, fail, (error) => error instanceof KeyValueStoreError, async () => {
      await db();
      return operation();
    });
  }

  /**
   * Reads the document and lets `decide` write it conditionally (a create when it is absent, an update or
   * delete with the read's update time otherwise); when someone else's write got in between, reads again.
   */
  async function readThenWrite<T>(what: string, key: string, decide: (ref: DocumentReference, snapshot: DocumentSnapshot) => Promise<T>): Promise<T> {
    return run(what, async () => {
      const ref = await doc(key);
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const snapshot = await ref.get();
        try {
          return await decide(ref, snapshot);
        } catch (error) {
          if (!lostRace(error)) throw error;
        }
      }
      throw new KeyValueStoreError(`firestore ${what}: the document kept changing under ${MAX_ROUNDS} attempts`);
    });
  }

  /** Writes `data` where `snapshot` was read: create when it did not exist, else update if unchanged. */
  async function writeOver(ref: DocumentReference, snapshot: DocumentSnapshot, value: string, ttlMs: number | undefined): Promise<void> {
    if (!snapshot.exists) await ref.create(fields(value, ttlMs, false));
    else await ref.update(fields(value, ttlMs, true), { lastUpdateTime: snapshot.updateTime! });
  }

  // Loading starts now, so it overlaps the rest of the function's start-up instead of the first request.
  db().catch(() => {});

  return {
    get: (key) => run('get', async () => liveValue(await (await doc(key)).get())),

    set: (key, value, ttlMs) =>
      run('set', async () => {
        await (await doc(key)).set(fields(value, ttlMs, false));
      }),

    async setIfAbsent(key, value, ttlMs) {
      // The usual case, a key nobody holds, is one create; only a held or expired key needs a read.
      const created = await run('create', async () => {
        try {
          await (await doc(key)).create(fields(value, ttlMs, false));
          return true;
        } catch (error) {
          if (grpcCode(error) === GRPC_ALREADY_EXISTS) return false;
          throw error;
        }
      });
      if (created) return true;
      return readThenWrite('set-if-absent', key, async (ref, snapshot) => {
        if (liveValue(snapshot) !== undefined) return false;
        await writeOver(ref, snapshot, value, ttlMs);
        return true;
      });
    },

    compareAndSet: (key, expected, value, ttlMs) =>
      readThenWrite('compare-and-set', key, async (ref, snapshot) => {
        if (liveValue(snapshot) !== expected) return false;
        await ref.update(fields(value, ttlMs, true), { lastUpdateTime: snapshot.updateTime! });
        return true;
      }),

    compareAndDelete: (key, expected) =>
      readThenWrite('compare-and-delete', key, async (ref, snapshot) => {
        if (liveValue(snapshot) !== expected) return false;
        await ref.delete({ lastUpdateTime: snapshot.updateTime! });
        return true;
      }),

    delete: (key) =>
      run('delete', async () => {
        await (await doc(key)).delete();
      }),

    increment: (key, by, ttlMs) =>
      readThenWrite('increment', key, async (ref, snapshot) => {
        const current = liveValue(snapshot);
        if (current === undefined) {
          await writeOver(ref, snapshot, String(by), ttlMs);
          return by;
        }
        const next = Number(current) + by;
        // The counter keeps the expiry it was created with: a window ends when it ends.
        await ref.update({ value: String(next) }, { lastUpdateTime: snapshot.updateTime! });
        return next;
      }),

    close: () => firestore.close(),
  };
}
