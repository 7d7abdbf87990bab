/**
 * Answers mentions that arrived since the last one answered. The id of the newest mention handled (the
 * cursor) is kept in the store, written after each one, so the next run, on this instance or a fresh one,
 * starts after it; each mention also has its own record (mention-ledger.ts), so a run that dies between
 * replying and moving the cursor does not answer that mention again. X lets self-serve apps reply only to
 * posts that mention or quote the bot, which is exactly these.
 */
import { outcomeLogFields, type KeyValueStore, type Log, type ReplyLoop } from '@mimicbot/functions-shared';
import { createMentionLedger, type MentionClaim } from './mention-ledger.js';
import type { RecentPosts } from './recent-posts.js';
import { certainlyNotPosted, XDuplicateError, XRateLimitError, type Mention, type XApi } from './x-client.js';

export const LAST_MENTION_KEY = 'x:last-mention-id';
const MY_USER_ID_KEY = 'x:my-user-id';

export interface ReplyOutcome {
  /** Ids of the mentions answered, oldest first, and the ids of the replies. */
  replied: { mentionId: string; replyId: string }[];
  /** Mentions passed over (the bot's own, answered before, or nothing passed within the loop's draws). */
  skipped: string[];
  /** Set on the first run: the newest mention is remembered and nothing older is answered. */
  seeded?: string;
  /** Set when X's rate limit stopped the run; the rest waits for the next one. */
  rateLimitedUntil?: string;
}

export interface ReplyOptions {
  x: XApi;
  store: KeyValueStore;
  /** With the tweet steps (see tweet-steps.ts). */
  replies: ReplyLoop;
  maxReplies: number;
  /** Refuses a draft the account posted lately; none: only X's own duplicate check. */
  recent?: RecentPosts;
  log?: Log;
}

/** Ids are 64-bit decimal strings; compare them as numbers. */
const byIdAscending = (a: Mention, b: Mention) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0);

/** The mention's words without the @handles, as the prompt; `<|endoftext|>` cannot be smuggled in. */
export function promptFromMention(text: string): string {
  return text
    .replace(/(^|\s)@\w+/g, ' ')
    .replace(/<\|[a-z_]+\|>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

async function myUserId(x: XApi, store: KeyValueStore): Promise<string> {
  const cached = await store.get(MY_USER_ID_KEY);
  if (cached) return cached;
  const id = await x.myUserId();
  await store.set(MY_USER_ID_KEY, id);
  return id;
}

export async function replyToMentions(options: ReplyOptions): Promise<ReplyOutcome> {
  const { x, store, log = () => {} } = options;
  const outcome: ReplyOutcome = { replied: [], skipped: [] };
  const userId = await myUserId(x, store);
  const sinceId = await store.get(LAST_MENTION_KEY);

  const mentions = (await x.mentionsSince(userId, sinceId, 100)).sort(byIdAscending);
  if (sinceId === undefined) {
    // First run: answering up to 800 old mentions at once would be spam. Start from now.
    const newest = mentions.at(-1)?.id;
    if (newest) await store.set(LAST_MENTION_KEY, newest);
    outcome.seeded = newest ?? 'none';
    log('mentions_seeded', { newest });
    if (newest) return outcome;
  }

  const ledger = createMentionLedger(store);
  for (const mention of mentions.slice(0, options.maxReplies)) {
    const claim = mention.authorId === userId ? undefined : await ledger.claim(mention.id);
    if (claim?.status === 'claimed') {
      try {
        const replyId = await answer(mention, claim, options);
        if (replyId) outcome.replied.push({ mentionId: mention.id, replyId });
        else outcome.skipped.push(mention.id);
      } catch (error) {
        if (!(error instanceof XRateLimitError)) throw error;
        outcome.rateLimitedUntil = error.resetAt ? new Date(error.resetAt).toISOString() : 'unknown';
        return outcome;
      }
    } else {
      if (claim) log('mention_skipped', { mentionId: mention.id, state: claim.status });
      outcome.skipped.push(mention.id);
    }
    await store.set(LAST_MENTION_KEY, mention.id);
  }
  return outcome;
}

/**
 * Replies to one mention through the reply loop, recording each step in the mention's ledger entry. The
 * reply's id, or undefined when nothing passed (or another run took the mention over).
 */
async function answer(mention: Mention, claim: Extract<MentionClaim, { status: 'claimed' }>, options: ReplyOptions): Promise<string | undefined> {
  let mayHavePosted = false;
  let leaseLost = false;
  try {
    const outcome = await options.replies.reply<string>(promptFromMention(mention.text), {
      deliver: async (draft) => {
        if (leaseLost) return { refused: 'lease_lost' };
        if (await options.recent?.seen(draft.text)) return { refused: 'posted_recently' };
        if (!(await claim.startPosting())) {
          leaseLost = true;
          return { refused: 'lease_lost' };
        }
        try {
          const reply = await options.x.reply(draft.text, mention.id);
          await claim.replied(reply.id);
          await options.recent?.remember(draft.text);
          return { delivered: reply.id };
        } catch (error) {
          if (!certainlyNotPosted(error)) {
            mayHavePosted = true;
            throw error;
          }
          await claim.notPosted();
          if (error instanceof XDuplicateError) return { refused: 'duplicate' };
          throw error;
        }
      },
    });
    options.log?.('reply_decision', { mentionId: mention.id, ...outcomeLogFields(outcome) });
    if (outcome.status === 'chosen') return outcome.value;
    if (!leaseLost) await claim.release();
    return undefined;
  } catch (error) {
    // Nothing reached X: a later run may answer it. Something may have: `posting` stays, and no run posts again.
    if (!mayHavePosted) await claim.release().catch(() => {});
    throw error;
  }
}
