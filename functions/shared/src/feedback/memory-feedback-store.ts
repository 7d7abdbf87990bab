/**
 * Feedback kept in this process's memory: one instance, lost on restart. For tests and `npm run dev`; on
 * Google Cloud the Firestore store keeps it. Replies are kept for `replyTtlMs` after they are served unless
 * rated; rated replies are kept until the process ends.
 */
import type { FeedbackRating, FeedbackStore, FeedbackSurface, RatedReply, ServedReply } from './feedback-store.js';

export interface MemoryFeedbackStoreOptions {
  /** How long an unrated reply stays findable (default 7 days). */
  replyTtlMs?: number;
  now?: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

interface Entry {
  reply: ServedReply;
  votes: Map<string, FeedbackRating>;
}

export function createMemoryFeedbackStore(options: MemoryFeedbackStoreOptions = {}): FeedbackStore {
  const replyTtlMs = options.replyTtlMs ?? 7 * DAY_MS;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const key = (surface: FeedbackSurface, id: string) => `${surface}\u0000${id}`;

  function live(surface: FeedbackSurface, id: string): Entry | undefined {
    const entry = entries.get(key(surface, id));
    if (!entry) return undefined;
    if (entry.votes.size === 0 && now() - entry.reply.servedAt >= replyTtlMs) {
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
      return true;
    },
    async *ratedReplies(): AsyncIterable<RatedReply> {
      for (const entry of [...entries.values()]) {
        if (entry.votes.size === 0) continue;
        const ratings = [...entry.votes.values()];
        yield {
          reply: structuredClone(entry.reply),
          up: ratings.filter((r) => r === 'up').length,
          down: ratings.filter((r) => r === 'down').length,
        };
      }
    },
    async close() {},
  };
}
