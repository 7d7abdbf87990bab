/**
 * Feedback kept in this process's memory: one instance, lost on restart. For tests and `npm run dev`; on
 * Google Cloud the Firestore store keeps it. An unrated reply is kept for `replyTtlMs` after it was served,
 * a rated one for `ratedTtlMs` after its last rating (or until the process ends).
 */
import {
  countRatings,
  DEFAULT_RATED_TTL_MS,
  DEFAULT_REPLY_TTL_MS,
  type FeedbackRating,
  type FeedbackRetention,
  type FeedbackStore,
  type FeedbackSurface,
  type RatedReply,
} from './feedback-store.js';
import type { ServedReply } from './feedback-store.js';

export type MemoryFeedbackStoreOptions = FeedbackRetention;

interface Entry {
  reply: ServedReply;
  votes: Map<string, FeedbackRating>;
  ratedAt?: number;
}

export function createMemoryFeedbackStore(options: MemoryFeedbackStoreOptions = {}): FeedbackStore {
  const replyTtlMs = options.replyTtlMs ?? DEFAULT_REPLY_TTL_MS;
  const ratedTtlMs = options.ratedTtlMs ?? DEFAULT_RATED_TTL_MS;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const key = (surface: FeedbackSurface, id: string) => `${surface}\u0000${id}`;

  function expired(entry: Entry): boolean {
    const expiresAt = entry.votes.size > 0 ? entry.ratedAt! + ratedTtlMs : entry.reply.servedAt + replyTtlMs;
    return now() >= expiresAt;
  }

  function live(surface: FeedbackSurface, id: string): Entry | undefined {
    const entry = entries.get(key(surface, id));
    if (!entry) return undefined;
    if (expired(entry)) {
      entries.delete(key(surface, id));
      return undefined;
    }
    return entry;
  }

  return {
    async saveReply(reply) {
      entries.set(key(reply.surface, reply.id), { reply: structuredClone(reply), votes: new Map() });
    },
    async getReply(surface, id) {
      const entry = live(surface, id);
      return entry ? structuredClone(entry.reply) : undefined;
    },
    async rate(surface, replyId, voter, rating) {
      const entry = live(surface, replyId);
      if (!entry) return false;
      if (rating === null) entry.votes.delete(voter);
      else entry.votes.set(voter, rating);
      entry.ratedAt = now();
      return true;
    },
    async *ratedReplies(): AsyncIterable<RatedReply> {
      for (const entry of [...entries.values()]) {
        if (entry.votes.size === 0 || expired(entry)) continue;
        yield { reply: structuredClone(entry.reply), ...countRatings(entry.votes.values()) };
      }
    },
    async countRated() {
      return [...entries.values()].filter((entry) => entry.votes.size > 0 && !expired(entry)).length;
    },
    async close() {},
  };
}
