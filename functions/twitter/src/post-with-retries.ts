/**
 * A scheduled post: the reply loop draws and judges drafts, and the best that passes is posted; a draft the
 * account posted lately (recent-posts.ts), or one X calls a duplicate, sends the loop on to the next draft,
 * up to its draw limit. When nothing passes the quality gate within it, the slot is skipped (nothing is
 * posted; the reasons are logged and returned). On a rate limit it waits when the reset is near, otherwise
 * it stops and says when to try again. Posting, clock and sleep are passed in.
 */
import { outcomeLogFields, type Log, type ReasonCounts, type ReplyLoop } from '@mimicbot/functions-shared';
import type { RecentPosts } from './recent-posts.js';
import { refuseDuplicates } from './tweet-steps.js';
import { XRateLimitError } from './x-client.js';

export type PostOutcome =
  | { status: 'posted'; id: string; text: string; attempts: number }
  | { status: 'rate_limited'; retryAt?: string; attempts: number }
  | { status: 'skipped'; attempts: number; drafts: number; rejected: ReasonCounts };

export interface PostLoopOptions {
  /** With the tweet steps (see tweet-steps.ts) and MAX_ATTEMPTS draws. */
  replies: ReplyLoop;
  prompt: string;
  post: (text: string) => Promise<{ id: string; text: string }>;
  maxRateLimitWaitMs: number;
  /** Refuses a draft the account posted lately, and remembers what is posted; none: only X's own check. */
  recent?: RecentPosts;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log?: Log;
}

type Posted = { id: string; text: string } | { retryAt: string | undefined };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function postWithRetries(options: PostLoopOptions): Promise<PostOutcome> {
  const outcome = await options.replies.reply<Posted>(options.prompt, {
    deliver: async (draft) => {
      if (await options.recent?.seen(draft.text)) return { refused: 'posted_recently' };
      const delivery = await refuseDuplicates(() => postWaitingForRateLimit(draft.text, options));
      if ('delivered' in delivery && 'id' in delivery.delivered) await options.recent?.remember(draft.text);
      return delivery;
    },
  });
  options.log?.('post_decision', outcomeLogFields(outcome));
  if (outcome.status === 'nothing_passed') return { status: 'skipped', attempts: outcome.draws, drafts: outcome.drafts, rejected: outcome.rejected };
  const posted = outcome.value;
  if ('retryAt' in posted) return { status: 'rate_limited', retryAt: posted.retryAt, attempts: outcome.draws };
  return { status: 'posted', id: posted.id, text: posted.text, attempts: outcome.draws };
}

/**
 * Posts `text`; on a rate limit that resets within `maxRateLimitWaitMs` it waits once and tries again.
 * One wait only: a limit still spent after its own reset will not clear by waiting again.
 */
async function postWaitingForRateLimit(text: string, options: PostLoopOptions): Promise<Posted> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  for (let waited = false; ; waited = true) {
    try {
      return await options.post(text);
    } catch (error) {
      if (!(error instanceof XRateLimitError)) throw error;
      const retryAt = error.resetAt === undefined ? undefined : new Date(error.resetAt).toISOString();
      const waitMs = error.resetAt === undefined ? Infinity : Math.max(0, error.resetAt - now());
      if (waited || waitMs > options.maxRateLimitWaitMs) return { retryAt };
      options.log?.('rate_limited_waiting', { waitMs, retryAt });
      // X's reset is in whole seconds; a little slack avoids arriving a moment early.
      await sleep(waitMs + 250);
    }
  }
}
