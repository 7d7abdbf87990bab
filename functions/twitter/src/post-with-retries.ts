/**
 * Generate → prepare → post, again with fresh text when the text is unusable (empty, filtered) or X calls it a
 * duplicate, up to `maxAttempts` generations. On a rate limit it waits when the reset is near, otherwise it
 * stops and says when to try again. Generation, posting, clock and sleep are passed in.
 */
import type { Log, OutputFilter } from '@mimicbot/functions-shared';
import { prepareTweet } from './prepare-tweet.js';
import { XDuplicateError, XRateLimitError } from './x-client.js';

export type PostOutcome =
  | { status: 'posted'; id: string; text: string; attempts: number }
  | { status: 'rate_limited'; retryAt?: string; attempts: number }
  | { status: 'gave_up'; attempts: number; reasons: string[] };

export interface PostLoopOptions {
  generate: () => Promise<string>;
  post: (text: string) => Promise<{ id: string; text: string }>;
  filter: OutputFilter;
  maxAttempts: number;
  maxRateLimitWaitMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log?: Log;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function postWithRetries(options: PostLoopOptions): Promise<PostOutcome> {
  const log = options.log ?? (() => {});
  const reasons: string[] = [];
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const prepared = prepareTweet(await options.generate(), options.filter);
    if (!prepared.ok) {
      reasons.push(prepared.reason);
      log('text_dropped', { attempt, reason: prepared.reason, blockedCount: prepared.blocked?.length });
      continue;
    }
    try {
      const result = await postWaitingForRateLimit(prepared.text, options);
      if ('retryAt' in result) return { status: 'rate_limited', retryAt: result.retryAt, attempts: attempt };
      return { status: 'posted', id: result.id, text: result.text, attempts: attempt };
    } catch (error) {
      if (!(error instanceof XDuplicateError)) throw error;
      reasons.push('duplicate');
      log('duplicate', { attempt });
    }
  }
  return { status: 'gave_up', attempts: options.maxAttempts, reasons };
}

/**
 * Posts `text`; on a rate limit that resets within `maxRateLimitWaitMs` it waits once and tries again.
 * One wait only: a limit still spent after its own reset will not clear by waiting again.
 */
async function postWaitingForRateLimit(
  text: string,
  options: PostLoopOptions,
): Promise<{ id: string; text: string } | { retryAt: string | undefined }> {
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
