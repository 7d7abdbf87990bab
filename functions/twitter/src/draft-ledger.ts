/**
 * Curated drafts in the store: one record per set of drafts a scheduled run offered, `x:curated:<id>`,
 * moving through these states, each move a compare-and-set on the exact value read:
 *
 *   open ──approve──► posting ──► posted          (X took it: its id)
 *     │                  └──────► open            (X refused it, certainly not posted: the buttons stay live)
 *     ├──discard───► discarded
 *     ├──regenerate► replaced                      (the new set's id; its buttons replace these)
 *     └──(expiresAt passes: read as expired; nothing moves it)
 *
 * Two clicks on Approve (one person twice, two people at once, on any instances) read the same `open`
 * value and only one compare-and-set wins, so one post reaches X. `posting` is never taken over: a post
 * whose request got no answer from X may be out, and a missed post is better than a double one.
 * Records outlive their drafts by RECORD_GRACE_MS, so a late click is told "expired", not "unknown".
 */
import { randomBytes } from 'node:crypto';
import type { KeyValueStore } from '@mimicbot/functions-shared';

/** How long a record is kept after its drafts expire. */
export const RECORD_GRACE_MS = 7 * 24 * 3_600_000;

interface Common {
  /** The drafts, without the disclosure (it is added when posted). */
  candidates: string[];
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
}

export type DraftSet = Common &
  (
    | { state: 'open' }
    | { state: 'posting'; chosen: number; by: string }
    | { state: 'posted'; chosen: number; by: string; tweetId: string }
    | { state: 'discarded'; by: string }
    | { state: 'replaced'; by: string; next: string }
  );


/** A record as read: its parsed value, and the raw value a compare-and-set must match. */
export interface ReadDraftSet {
  id: string;
  set: DraftSet;
  raw: string;
}

const keyOf = (id: string) => `x:curated:${id}`;

/** Ids go into button values and store keys: 24 hex digits, and nothing else is accepted back. */
export const DRAFT_SET_ID = /^[0-9a-f]{24}$/;

export function createDraftLedger(store: KeyValueStore, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const ttl = (set: DraftSet) => Math.max(1, set.expiresAt + RECORD_GRACE_MS - now());

  return {
    /** Records a new open set of drafts, expiring `draftTtlMs` from now. */
    async open(candidates: string[], draftTtlMs: number): Promise<ReadDraftSet> {
      const id = randomBytes(12).toString('hex');
      const set: DraftSet = { state: 'open', candidates, createdAt: now(), expiresAt: now() + draftTtlMs };
      const raw = JSON.stringify(set);
      if (!(await store.setIfAbsent(keyOf(id), raw, ttl(set)))) throw new Error(`draft set id ${id} is taken`);
      return { id, set, raw };
    },

    async read(id: string): Promise<ReadDraftSet | undefined> {
      if (!DRAFT_SET_ID.test(id)) return undefined;
      const raw = await store.get(keyOf(id));
      return raw === undefined ? undefined : { id, set: JSON.parse(raw) as DraftSet, raw };
    },

    /** True while the set is open and not past its expiry. */
    isLive(read: ReadDraftSet): boolean {
      return read.set.state === 'open' && now() < read.set.expiresAt;
    },

    /**
     * Moves `from` (as read) to `next`. False when someone else moved it first: the caller reads it again
     * and answers with what happened.
     */
    async move(from: ReadDraftSet, next: DraftSet): Promise<ReadDraftSet | undefined> {
      const raw = JSON.stringify(next);
      return (await store.compareAndSet(keyOf(from.id), from.raw, raw, ttl(next))) ? { id: from.id, set: next, raw } : undefined;
    },
  };
}

export type DraftLedger = ReturnType<typeof createDraftLedger>;
