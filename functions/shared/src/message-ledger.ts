/**
 * Exactly one reply per piece of queued work (a Slack message, a Discord interaction), across the
 * platform's retries, Pub/Sub's redeliveries and duplicates, any number of instances, and a worker that
 * dies part-way. One store key per piece of work (the adapter names it: Slack's `message:<team>:<channel>:<ts>`,
 * Discord's `interaction:<id>`) moves through these states:
 *
 *   (absent) -> publishing:<id>  the events endpoint took it and is publishing it (lapses after 30 s)
 *            -> queued           published, or handed back by a worker for Pub/Sub to redeliver
 *            -> working:<id>     a worker holds it while it generates (lapses after SLACK_LEASE_MS)
 *            -> posting:<id>     that worker is posting the reply (Slack's chat.postMessage, Discord's PATCH)
 *            -> posted:<ref>     the reply is out (or gave-up:<error>: the platform refused it for good)
 *
 * Every move out of a state someone holds is a compare-and-set on the holder's own value, so a worker whose
 * lease lapsed and was taken over cannot post over its successor. `posted` and `posting` stay for the
 * adapter's done TTL, longer than Pub/Sub retries a message.
 *
 * A post has no idempotency key, so the one window left is `posting`: a worker that dies after writing it,
 * or whose post fails without saying whether the platform took it (a connection reset mid-request), leaves
 * work its successors will not post to, since the reply may already show. That window is one post's round
 * trip (~0.1-0.3 s); what is lost in it is a reply, never a second one.
 */
import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from './kv-store.js';

export interface LedgerTimes {
  /** How long a worker holds a message before another may take it over. */
  leaseMs: number;
  /** How long an answered message is remembered. */
  doneTtlMs: number;
}

/** How long the intake holds work while publishing it: a crash there frees it for the platform's retry. */
export const PUBLISH_LEASE_MS = 30_000;

const PUBLISHING = 'publishing:';
const QUEUED = 'queued';
const WORKING = 'working:';
const POSTING = 'posting:';
const POSTED = 'posted:';
const GAVE_UP = 'gave-up:';

export type QueueClaim =
  | { status: 'claimed'; queued(): Promise<void>; release(): Promise<void> }
  | { status: 'taken'; state: string };

/** A worker's hold on a message, from generating to the record of what it posted. */
export interface ReplyClaim {
  status: 'claimed';
  /** Gives the work back for a later delivery (the model is down, the post failed). */
  requeue(): Promise<void>;
  /** Records that the post is about to go out; false when the lease lapsed and someone else holds it now. */
  startPosting(): Promise<boolean>;
  posted(replyTs: string): Promise<void>;
  /** The platform said the post was not made and it may succeed later. */
  notPosted(): Promise<void>;
  /** The platform refused the post for good (channel gone, bot removed, token expired): nothing more to try. */
  gaveUp(error: string): Promise<void>;
}

export type ReplyClaimResult = ReplyClaim | { status: 'answered' | 'in_progress' | 'outcome_unknown' };

/** The state a value stands for, as logged ("working", "posted", ...). */
export function stateName(value: string | undefined): string {
  return value === undefined ? 'absent' : value.split(':')[0];
}

export function createMessageLedger(store: KeyValueStore, times: LedgerTimes) {
  return {
    /** The intake's claim: only one of the platform's deliveries (on any instance) publishes the work. */
    async claimToQueue(key: string): Promise<QueueClaim> {
      const mine = `${PUBLISHING}${randomUUID()}`;
      if (!(await store.setIfAbsent(key, mine, PUBLISH_LEASE_MS))) return { status: 'taken', state: stateName(await store.get(key)) };
      return {
        status: 'claimed',
        // False when a worker already took it from `publishing`: nothing to do then.
        queued: async () => void (await store.compareAndSet(key, mine, QUEUED, times.doneTtlMs)),
        release: async () => void (await store.compareAndDelete(key, mine)),
      };
    },

    /** A worker's claim: free, queued or still being published messages can be taken; the rest say why not. */
    async claimToAnswer(key: string): Promise<ReplyClaimResult> {
      // Another worker may move the key between our read and our write: read again, a few times.
      for (let round = 0; round < 3; round++) {
        const current = await store.get(key);
        if (current?.startsWith(POSTED) || current?.startsWith(GAVE_UP)) return { status: 'answered' };
        if (current?.startsWith(POSTING)) return { status: 'outcome_unknown' };
        if (current?.startsWith(WORKING)) return { status: 'in_progress' };
        const id = randomUUID();
        const lease = `${WORKING}${id}`;
        const took = current === undefined ? await store.setIfAbsent(key, lease, times.leaseMs) : await store.compareAndSet(key, current, lease, times.leaseMs);
        if (took) return replyClaim(key, id);
      }
      return { status: 'in_progress' };
    },
  };

  function replyClaim(key: string, id: string): ReplyClaim {
    const lease = `${WORKING}${id}`;
    const posting = `${POSTING}${id}`;
    return {
      status: 'claimed',
      requeue: async () => void (await store.compareAndSet(key, lease, QUEUED, times.doneTtlMs)),
      startPosting: () => store.compareAndSet(key, lease, posting, times.doneTtlMs),
      // Unconditional: the reply is out, whatever happened to the key meanwhile.
      posted: (replyTs) => store.set(key, `${POSTED}${replyTs}`, times.doneTtlMs),
      notPosted: async () => void (await store.compareAndSet(key, posting, QUEUED, times.doneTtlMs)),
      gaveUp: (error) => store.set(key, `${GAVE_UP}${error}`, times.doneTtlMs),
    };
  }
}

export type MessageLedger = ReturnType<typeof createMessageLedger>;
