import { ApiResponseError, type TweetV2, type TweetV2UserTimelineParams } from 'twitter-api-v2';
import { readFetchState, writeFetchState, type FetchState } from './fetch-state.js';
import { waitUntil, type Clock } from './rate-limit-wait.js';
import { appendTweets, prepareAppend } from './tweet-file.js';
import { XFetchError } from './x-fetch-error.js';
import { maxId, type TweetRecord } from './tweet-record.js';
import type { XTimelineApi } from './x-client.js';

export { X_TIMELINE_CAP, XFetchError, type XFetchErrorCode } from './x-fetch-error.js';

export type FetchEvent =
  | { type: 'user'; userId: string; resumed: boolean }
  | { type: 'page'; added: number; total: number; skippedReplies: number }
  | { type: 'rate-limit'; remainingMs: number; resumeAtMs: number };

export interface FetchTimelineOptions {
  username: string;
  includeReplies: boolean;
  /** JSONL output, appended to */
  outFile: string;
  /** defaults to `<outFile>.state.json` */
  stateFile?: string;
}

export interface FetchTimelineDeps {
  api: XTimelineApi;
  clock: Clock;
  onEvent?: (event: FetchEvent) => void;
}

export interface FetchSummary {
  userId: string;
  added: number;
  total: number;
  skippedReplies: number;
}

// How long to wait after a 429 that came without x-rate-limit-reset: one 15-minute window.
const FALLBACK_WAIT_MS = 15 * 60 * 1000;

/**
 * Downloads a user's posts (retweets excluded by X) into a JSONL file, newest first, 100 per request,
 * resuming from the state file. Replies are excluded here rather than with `exclude=replies`, because X
 * caps that query at 800 posts instead of 3,200; replies within the user's own threads are kept.
 */
export async function fetchTimeline(options: FetchTimelineOptions, deps: FetchTimelineDeps): Promise<FetchSummary> {
  const stateFile = options.stateFile ?? `${options.outFile}.state.json`;
  const emit = deps.onEvent ?? (() => {});
  const previous = await readFetchState(stateFile);
  checkStateMatches(previous, options, stateFile);
  const userId = previous?.userId ?? (await lookUpUser(deps.api, options.username, deps.clock, emit));
  const state: FetchState = previous ?? {
    version: 1,
    username: options.username,
    userId,
    includeReplies: options.includeReplies,
  };
  emit({ type: 'user', userId, resumed: state.paginationToken !== undefined });
  if (state.paginationToken === undefined) state.sinceId = state.newestId;

  const ids = await prepareAppend(options.outFile);
  let added = 0;
  let skippedReplies = 0;
  for (;;) {
    const params: Partial<TweetV2UserTimelineParams> = {
      max_results: 100,
      exclude: ['retweets'],
      'tweet.fields': ['created_at', 'in_reply_to_user_id', 'referenced_tweets', 'note_tweet'],
      ...(state.sinceId !== undefined && { since_id: state.sinceId }),
      ...(state.paginationToken !== undefined && { pagination_token: state.paginationToken }),
    };
    const page = await withRateLimitWaits(() => deps.api.userTimeline(userId, params), deps.clock, emit);
    // A protected or suspended account is a 200 with only `errors` (and no meta) rather than an HTTP error.
    const meta = page.meta ?? { result_count: 0 };
    if (page.tweets.length === 0 && page.meta === undefined && page.errors.length > 0) {
      const first = page.errors[0] as { title?: string; detail?: string };
      throw new XFetchError('X_REQUEST_FAILED', `X gave no posts for @${state.username}: ${first.detail ?? first.title}`);
    }
    const fresh: TweetRecord[] = [];
    for (const tweet of page.tweets) {
      const record = toRecord(tweet, userId);
      if (record === undefined) continue;
      if (record.reply_to !== undefined && !state.includeReplies) {
        skippedReplies++;
        continue;
      }
      if (ids.has(record.id)) continue;
      ids.add(record.id);
      fresh.push(record);
    }
    // Posts first, then the state that points past them: a crash in between repeats a page, never skips one.
    await appendTweets(options.outFile, fresh);
    added += fresh.length;
    state.passNewestId = maxId(state.passNewestId, meta.newest_id);
    state.paginationToken = meta.next_token;
    if (state.paginationToken === undefined) {
      state.newestId = maxId(state.newestId, state.passNewestId);
      delete state.sinceId;
      delete state.passNewestId;
    }
    await writeFetchState(stateFile, state);
    emit({ type: 'page', added, total: ids.size, skippedReplies });
    if (state.paginationToken === undefined) break;
    // The last request used up the window: wait now rather than collect a 429.
    const limit = page.rateLimit;
    if (limit && limit.remaining === 0 && limit.reset * 1000 > deps.clock.now()) {
      await waitForWindow(limit.reset * 1000, deps.clock, emit);
    }
  }
  return { userId, added, total: ids.size, skippedReplies };
}

function checkStateMatches(state: FetchState | undefined, options: FetchTimelineOptions, stateFile: string): void {
  if (state === undefined) return;
  if (state.username.toLowerCase() !== options.username.toLowerCase()) {
    throw new XFetchError(
      'X_STATE_MISMATCH',
      `${stateFile}: belongs to @${state.username}, not @${options.username}; write to another file, or delete it to start over`,
    );
  }
  if (state.includeReplies !== options.includeReplies) {
    throw new XFetchError(
      'X_STATE_MISMATCH',
      `${stateFile}: was made ${state.includeReplies ? 'keeping' : 'leaving out'} replies to others; fetch the same way, or delete it to start over`,
    );
  }
}

async function lookUpUser(api: XTimelineApi, username: string, clock: Clock, emit: (e: FetchEvent) => void): Promise<string> {
  const result = await withRateLimitWaits(() => api.userByUsername(username), clock, emit);
  // X answers an unknown name with 200 and only `errors` (the library's type says data is always there).
  const id = (result as { data?: { id?: string } }).data?.id;
  if (id === undefined) {
    const detail = result.errors?.[0]?.detail;
    throw new XFetchError('X_USER_NOT_FOUND', `X has no user @${username}${detail ? ` (${detail})` : ''}`);
  }
  return id;
}

/** Runs an X call; on 429 waits for the window to reset (with a countdown) and tries again. */
async function withRateLimitWaits<T>(call: () => Promise<T>, clock: Clock, emit: (e: FetchEvent) => void): Promise<T> {
  for (;;) {
    try {
      return await callX(call);
    } catch (error) {
      if (!(error instanceof ApiResponseError && error.rateLimitError)) throw error;
      const resetMs = error.rateLimit?.reset ? error.rateLimit.reset * 1000 : clock.now() + FALLBACK_WAIT_MS;
      await waitForWindow(Math.max(resetMs, clock.now() + 1000), clock, emit);
    }
  }
}

async function waitForWindow(resumeAtMs: number, clock: Clock, emit: (e: FetchEvent) => void): Promise<void> {
  // One second of margin: the reset time is in whole seconds and clocks differ.
  await waitUntil(resumeAtMs + 1000, clock, (remainingMs) => emit({ type: 'rate-limit', remainingMs, resumeAtMs: resumeAtMs + 1000 }));
}

/** Maps the library's errors to one-line XFetchErrors, leaving 429s to `withRateLimitWaits`. */
async function callX<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiResponseError) {
      if (error.rateLimitError) throw error;
      const data = error.data as { detail?: string; title?: string } | undefined;
      const detail = data?.detail ?? data?.title ?? error.message;
      if (error.code === 401) {
        throw new XFetchError('X_AUTH', `X refused the bearer token (401: ${detail}); check X_BEARER_TOKEN`, { cause: error });
      }
      throw new XFetchError('X_REQUEST_FAILED', `X answered ${error.code}: ${detail}`, { cause: error });
    }
    throw new XFetchError('X_REQUEST_FAILED', `could not reach X: ${(error as Error).message}`, { cause: error });
  }
}

function toRecord(tweet: TweetV2, userId: string): TweetRecord | undefined {
  if (tweet.referenced_tweets?.some((r) => r.type === 'retweeted')) return undefined;
  const record: TweetRecord = {
    id: tweet.id,
    created_at: tweet.created_at ?? '',
    // Long posts come truncated in `text`, complete in `note_tweet.text`.
    text: tweet.note_tweet?.text ?? tweet.text,
  };
  if (tweet.in_reply_to_user_id !== undefined && tweet.in_reply_to_user_id !== userId) record.reply_to = tweet.in_reply_to_user_id;
  return record;
}
