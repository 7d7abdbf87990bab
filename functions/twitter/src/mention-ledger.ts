/**
 * Each mention answered at most once, whatever happens between runs: the mention cursor alone (the newest
 * id handled) would answer one again when a run dies after replying and before moving the cursor on. So
 * every mention gets a key of its own in the store, `x:mention:<id>`:
 *
 *   (absent) -> replying:<run>  a run took it and is generating (lapses after REPLYING_LEASE_MS)
 *            -> posting         the reply is being sent to X
 *            -> replied:<id>    done
 *
 * A run that fails before sending lets go (or its lease lapses), so a later run answers the mention. One
 * that dies while sending, or whose request fails without an answer from X, leaves `posting`, which no
 * run posts over: X may have the reply. That window is one POST /2/tweets round trip.
 */
import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '@mimicbot/functions-shared';

/** Longer than one mention's generation and reply; scheduled runs are hours apart. */
export const REPLYING_LEASE_MS = 10 * 60_000;
/** Longer than a mention stays newer than the cursor. */
export const MENTION_RECORD_TTL_MS = 30 * 24 * 3_600_000;

export type MentionClaim =
  | {
      status: 'claimed';
      /** Before sending a reply; false when the lease lapsed and another run took the mention. */
      startPosting(): Promise<boolean>;
      /** X refused this text or did not take it (a duplicate, a rate limit): back to generating. */
      notPosted(): Promise<void>;
      replied(replyId: string): Promise<void>;
      /** Nothing was sent: a later run may answer it. */
      release(): Promise<void>;
    }
  | { status: 'replied' | 'in_progress' | 'outcome_unknown' };

export function createMentionLedger(store: KeyValueStore) {
  return {
    async claim(mentionId: string): Promise<MentionClaim> {
      const key = `x:mention:${mentionId}`;
      const lease = `replying:${randomUUID()}`;
      if (!(await store.setIfAbsent(key, lease, REPLYING_LEASE_MS))) {
        const state = await store.get(key);
        if (state?.startsWith('replied:')) return { status: 'replied' };
        if (state === 'posting') return { status: 'outcome_unknown' };
        return { status: 'in_progress' };
      }
      return {
        status: 'claimed',
        startPosting: () => store.compareAndSet(key, lease, 'posting', MENTION_RECORD_TTL_MS),
        notPosted: async () => void (await store.compareAndSet(key, 'posting', lease, REPLYING_LEASE_MS)),
        replied: (replyId) => store.set(key, `replied:${replyId}`, MENTION_RECORD_TTL_MS),
        release: async () => void (await store.compareAndDelete(key, lease)),
      };
    },
  };
}
