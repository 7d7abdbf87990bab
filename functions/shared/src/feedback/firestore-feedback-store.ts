/**
 * Feedback on Firestore, so the function that served a reply and the one that receives a reaction (other
 * instances, later) agree, and `mimicbot feedback export` can read it all back.
 *
 * One document per served reply in the `feedback` collection, id `surface:replyId` (escaped as the
 * key-value store escapes keys): the reply's fields, `votes` (a map from voter digest to 'up' | 'down'),
 * the `up` and `down` counts and `rated` (whether any vote is held) derived from it on every write, and
 * `expiresAt`, which the TTL policy (deploy/terraform/firestore.tf) uses: `servedAt + replyTtlMs` while
 * unrated, last rating `+ ratedTtlMs` once rated. The policy deletes within a day or so of that time, so
 * every read here treats a document past `expiresAt` as absent.
 *
 * One rating per voter per reply, atomically: a rating reads the document and writes it back with a
 * `lastUpdateTime` precondition, reading again when another rating got in between (as the key-value store
 * does; see firestore-store.ts for why not a transaction). Votes live in the reply's own document so one
 * conditional write moves a vote and the counts together; a reply gets a handful of votes, far below
 * Firestore's 1 MiB per document.
 */
import type { DocumentReference, DocumentSnapshot, QueryDocumentSnapshot } from '@google-cloud/firestore';
import { firestoreDocumentId } from '../firestore-store.js';
import { lazyFirestore, lostRace, withinTimeout, type FirestoreClientOptions } from '../firestore-client.js';
import {
  countRatings,
  DEFAULT_RATED_TTL_MS,
  DEFAULT_REPLY_TTL_MS,
  FeedbackStoreError,
  type FeedbackRating,
  type FeedbackRetention,
  type FeedbackStore,
  type FeedbackSurface,
  type RatedReply,
  type ServedReply,
} from './feedback-store.js';
import { voterDigest } from './voter-digest.js';

/** The collection and expiry field deploy/terraform/locals.tf gives the TTL policy. */
export const FEEDBACK_COLLECTION = 'feedback';
export const FEEDBACK_EXPIRY_FIELD = 'expiresAt';

export interface FirestoreFeedbackStoreOptions extends FirestoreClientOptions, FeedbackRetention {
  /** The key voter ids are hashed under (FEEDBACK_VOTER_KEY); see voter-digest.ts. */
  voterKey: string;
  /** Longest wait for one operation before it fails with a FeedbackStoreError. */
  timeoutMs?: number;
  /** Rated replies read per request by ratedReplies. */
  pageSize?: number;
}

/** Rounds of read-then-conditional-write before giving up on a document others keep writing. */
const MAX_ROUNDS = 8;

interface ReplyDocument extends ServedReply {
  votes: Record<string, FeedbackRating>;
  up: number;
  down: number;
  rated: boolean;
  ratedAt?: number;
}

export function createFirestoreFeedbackStore(options: FirestoreFeedbackStoreOptions): FeedbackStore {
  const replyTtlMs = options.replyTtlMs ?? DEFAULT_REPLY_TTL_MS;
  const ratedTtlMs = options.ratedTtlMs ?? DEFAULT_RATED_TTL_MS;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pageSize = options.pageSize ?? 200;
  const firestore = lazyFirestore(options);

  const fail = (message: string, cause?: unknown) => new FeedbackStoreError(message, cause === undefined ? undefined : { cause });
  const run = <T>(what: string, operation: () => Promise<T>) =>
    withinTimeout(firestore, `feedback ${what}`, timeoutMs, fail, (error) => error instanceof FeedbackStoreError, operation);

  async function collection() {
    return (await firestore.open()).db.collection(FEEDBACK_COLLECTION);
  }

  async function doc(surface: FeedbackSurface, id: string): Promise<DocumentReference> {
    let documentId: string;
    try {
      documentId = firestoreDocumentId(`${surface}:${id}`);
    } catch (error) {
      throw fail(`reply id ${JSON.stringify(id.slice(0, 80))} cannot be stored: ${(error as Error).message}`);
    }
    return (await collection()).doc(documentId);
  }

  async function expiry(millis: number) {
    return (await firestore.open()).module.Timestamp.fromMillis(millis);
  }

  /** The document's fields when it exists and has not expired. */
  function live(snapshot: DocumentSnapshot): ReplyDocument | undefined {
    if (!snapshot.exists) return undefined;
    const expiresAt = snapshot.get(FEEDBACK_EXPIRY_FIELD) as { toMillis(): number } | undefined;
    if (expiresAt && expiresAt.toMillis() <= now()) return undefined;
    return snapshot.data() as ReplyDocument;
  }

  function servedReply(data: ReplyDocument): ServedReply {
    const reply: ServedReply = {
      surface: data.surface,
      id: data.id,
      model: data.model,
      prompt: data.prompt,
      text: data.text,
      settings: data.settings,
      servedAt: data.servedAt,
    };
    if (data.continuation !== undefined && data.continuation !== null) reply.continuation = data.continuation;
    if (data.seed !== undefined && data.seed !== null) reply.seed = data.seed;
    return reply;
  }

  async function* ratedPages(): AsyncIterable<QueryDocumentSnapshot[]> {
    const query = await run('rated-replies', async () => {
      const { module } = await firestore.open();
      return (await collection()).where('rated', '==', true).orderBy(module.FieldPath.documentId()).limit(pageSize);
    });
    let last: QueryDocumentSnapshot | undefined;
    for (;;) {
      const page = await run('rated-replies', async () => (await (last ? query.startAfter(last) : query).get()).docs);
      if (page.length === 0) return;
      yield page;
      if (page.length < pageSize) return;
      last = page[page.length - 1];
    }
  }

  // Loading starts now, so it overlaps the rest of the function's start-up instead of the first request.
  firestore.open().catch(() => {});

  return {
    saveReply: (reply) =>
      run('save-reply', async () => {
        const data = { ...reply, votes: {}, up: 0, down: 0, rated: false, [FEEDBACK_EXPIRY_FIELD]: await expiry(reply.servedAt + replyTtlMs) };
        await (await doc(reply.surface, reply.id)).set(data);
      }),

    getReply: (surface, id) =>
      run('get-reply', async () => {
        const data = live(await (await doc(surface, id)).get());
        return data ? servedReply(data) : undefined;
      }),

    rate: (surface, replyId, voter, rating) =>
      run('rate', async () => {
        const ref = await doc(surface, replyId);
        const digest = voterDigest(options.voterKey, surface, voter);
        for (let round = 0; round < MAX_ROUNDS; round++) {
          const snapshot = await ref.get();
          const data = live(snapshot);
          if (!data) return false;
          const votes = { ...data.votes };
          if (rating === null) delete votes[digest];
          else votes[digest] = rating;
          const counts = countRatings(Object.values(votes));
          const rated = counts.up + counts.down > 0;
          const ratedAt = now();
          const expiresAt = await expiry(rated ? ratedAt + ratedTtlMs : data.servedAt + replyTtlMs);
          try {
            // The whole map is written, not one field of it: the counts must match the votes exactly.
            await ref.update({ votes, ...counts, rated, ratedAt, [FEEDBACK_EXPIRY_FIELD]: expiresAt }, { lastUpdateTime: snapshot.updateTime! });
            return true;
          } catch (error) {
            if (!lostRace(error)) throw error;
          }
        }
        throw fail(`firestore feedback rate: the reply kept changing under ${MAX_ROUNDS} attempts`);
      }),

    async *ratedReplies(): AsyncIterable<RatedReply> {
      for await (const page of ratedPages()) {
        for (const snapshot of page) {
          const data = live(snapshot);
          if (data?.rated) yield { reply: servedReply(data), up: data.up, down: data.down };
        }
      }
    },

    countRated: () =>
      run('count-rated', async () => {
        const counted = await (await collection()).where('rated', '==', true).count().get();
        return counted.data().count;
      }),

    close: () => firestore.close(),
  };
}
