/**
 * One Firestore client made on first use, for every store on Firestore (the key-value store, the feedback
 * store). `@google-cloud/firestore` is imported only then (loading it took 2.4-3.3 s on a busy two-core
 * machine), so functions running with another store never pay for it, and closing lets the process end.
 */
import type { Firestore, Settings } from '@google-cloud/firestore';

export type FirestoreModule = typeof import('@google-cloud/firestore');

export interface FirestoreClientOptions {
  /** Google Cloud project; found from the environment's credentials (the metadata server) when unset. */
  projectId?: string;
  /** Database id (default "(default)"). */
  databaseId?: string;
  /** host:port of the Firestore emulator; plain-text gRPC and the emulator's owner credentials. */
  emulatorHost?: string;
}

export interface LazyFirestore {
  /** The client and the module it came from (for Timestamp and FieldValue); loads them the first time. */
  open(): Promise<{ db: Firestore; module: FirestoreModule }>;
  /** Ends the client; a later open() makes a new one. */
  close(): Promise<void>;
}

export function lazyFirestore(options: FirestoreClientOptions): LazyFirestore {
  let client: Promise<{ db: Firestore; module: FirestoreModule }> | undefined;
  return {
    open() {
      client ??= import('@google-cloud/firestore').then((module) => {
        const settings: Settings = { projectId: options.projectId, databaseId: options.databaseId, ignoreUndefinedProperties: true };
        // The emulator speaks plain-text gRPC; with ssl off the client sends the emulator's "owner" token.
        if (options.emulatorHost) Object.assign(settings, { host: options.emulatorHost, ssl: false });
        return { db: new module.Firestore(settings), module };
      });
      return client;
    },
    async close() {
      const opened = client;
      client = undefined;
      if (!opened) return;
      // terminate() waits for requests still in flight, which against an unreachable server never end.
      const loaded = await opened.catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([loaded?.db.terminate(), new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]).catch(() => {});
      clearTimeout(timer);
    },
  };
}

/** gRPC status codes Firestore's conditional writes answer with. */
export const GRPC_NOT_FOUND = 5;
export const GRPC_ALREADY_EXISTS = 6;
export const GRPC_FAILED_PRECONDITION = 9;

export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** A conditional write lost to someone else's: read again and decide again. */
export function lostRace(error: unknown): boolean {
  const code = grpcCode(error);
  return code === GRPC_ALREADY_EXISTS || code === GRPC_FAILED_PRECONDITION || code === GRPC_NOT_FOUND;
}

/**
 * Runs `operation` once the client is loaded, failing with `fail(message)` when loading fails, when the
 * operation fails, or after `timeoutMs` (which starts once the client is loaded).
 */
export async function withinTimeout<T>(firestore: LazyFirestore, what: string, timeoutMs: number, fail: (message: string, cause?: unknown) => Error, isOwnError: (error: unknown) => boolean, operation: () => Promise<T>): Promise<T> {
  try {
    await firestore.open();
  } catch (error) {
    throw fail(`firestore client failed to load: ${(error as Error).message}`, error);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(fail(`firestore ${what} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([operation(), timeout]);
  } catch (error) {
    if (isOwnError(error)) throw error;
    throw fail(`firestore ${what} failed: ${(error as Error).message}`, error);
  } finally {
    clearTimeout(timer);
  }
}
