/**
 * Makes each Slack message get exactly one reply, across Slack's retries and across instances.
 *
 * The key is the message (`team:channel:ts`), not the delivery's event_id: a retry repeats the event_id, but a
 * DM that mentions the bot arrives as two events (message.im and app_mention) with different event_ids and
 * the same channel and ts, and both must yield one reply. The message key covers both cases.
 *
 * An attempt holds the key as a lease ("working:<attempt>") that lapses after `leaseMs`, so a crashed
 * attempt does not block Slack's later retries (about 1 and 5 minutes in). When the reply is posted the key
 * becomes "done" for `doneTtlMs`. When the attempt fails it lets go of the key, so a retry does the work.
 */
import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '@mimicbot/functions-shared';

export type ClaimResult =
  | { status: 'claimed'; release(): Promise<void>; complete(): Promise<void> }
  | { status: 'in_progress' | 'done' };

export interface MessageClaims {
  claim(key: string): Promise<ClaimResult>;
}

export function messageKey(teamId: string | undefined, channel: string, ts: string): string {
  return `message:${teamId ?? '-'}:${channel}:${ts}`;
}

export function createMessageClaims(store: KeyValueStore, options: { leaseMs: number; doneTtlMs: number }): MessageClaims {
  return {
    async claim(key) {
      const lease = `working:${randomUUID()}`;
      if (!(await store.setIfAbsent(key, lease, options.leaseMs))) {
        return { status: (await store.get(key)) === 'done' ? 'done' : 'in_progress' };
      }
      return {
        status: 'claimed',
        complete: () => store.set(key, 'done', options.doneTtlMs),
        async release() {
          // Only our own lease: if it lapsed and a retry took the key over, that attempt's lease stays.
          // (get + delete is not atomic; the window is one round trip and the cost a duplicate reply.)
          if ((await store.get(key)) === lease) await store.delete(key);
        },
      };
    },
  };
}
