/**
 * The one file that talks to X. It builds the twitter-api-v2 client (OAuth 1.0a user context) and turns
 * X's failures into this function's own errors, so nothing else sees a vendor type.
 */
import http from 'node:http';
import { ApiResponseError, TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { XCredentials } from './config.js';

/** Posts, replies and reads mentions: what the bot needs from X, as plain data. */
export interface XApi {
  tweet(text: string): Promise<{ id: string; text: string }>;
  reply(text: string, toTweetId: string): Promise<{ id: string; text: string }>;
  myUserId(): Promise<string>;
  /** Mentions newer than `sinceId` (all recent ones when absent), newest first, as X returns them. */
  mentionsSince(userId: string, sinceId: string | undefined, maxResults: number): Promise<Mention[]>;
}

export interface Mention {
  id: string;
  text: string;
  authorId?: string;
}

/** X refused the text because the account posted the same text recently. */
export class XDuplicateError extends Error {
  readonly code = 'x_duplicate';
}

/** X's rate limit is spent until `resetAt` (epoch ms). */
export class XRateLimitError extends Error {
  readonly code = 'x_rate_limited';
  constructor(readonly resetAt: number | undefined) {
    super(`X rate limit reached${resetAt ? `; it resets at ${new Date(resetAt).toISOString()}` : ''}`);
  }
}

/** Any other refusal or failure from X, with the HTTP status and X's own explanation (never credentials). */
export class XApiError extends Error {
  readonly code = 'x_error';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** X answered, so the post was certainly not made. (A request that got no answer may have been.) */
export function certainlyNotPosted(error: unknown): boolean {
  return error instanceof XDuplicateError || error instanceof XRateLimitError || (error instanceof XApiError && error.status !== undefined);
}

/**
 * Rewrites every api.x.com URL to `baseUrl`: twitter-api-v2 has no base-URL setting, but plugins may edit
 * the request before it is signed (so the OAuth signature matches the URL actually requested).
 */
function redirectTo(baseUrl: string): ITwitterApiClientPlugin {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    onBeforeRequestConfig({ params }) {
      params.url = params.url.replace(/^https:\/\/(api|upload)\.x\.com\//, base);
    },
  };
}

export function createTwitterApi(credentials: XCredentials, apiUrl?: string): TwitterApi {
  if (!apiUrl) return new TwitterApi(credentials);
  return new TwitterApi(credentials, {
    plugins: [redirectTo(apiUrl)],
    // The library always calls https.request; an http.Agent makes it accept a plain-http fake.
    httpAgent: apiUrl.startsWith('http:') ? new http.Agent() : undefined,
  });
}

/** Maps a twitter-api-v2 failure to XDuplicateError, XRateLimitError or XApiError. */
export function explainXError(error: unknown): Error {
  if (!(error instanceof ApiResponseError)) {
    return new XApiError(`could not reach X: ${(error as Error)?.message ?? String(error)}`);
  }
  const data = error.data as { detail?: unknown; title?: unknown; errors?: { message?: string }[] } | undefined;
  const detail = typeof data?.detail === 'string' ? data.detail : undefined;
  // v2 answers a duplicate with a 403 problem body and no errors[], so hasErrorCode(187) is false.
  if (error.code === 403 && /duplicate/i.test(detail ?? '')) return new XDuplicateError(detail ?? 'duplicate content');
  if (error.rateLimitError) {
    const reset = error.rateLimit?.reset;
    return new XRateLimitError(reset ? reset * 1000 : undefined);
  }
  const why = detail ?? data?.errors?.map((e) => e.message).join('; ') ?? (typeof data?.title === 'string' ? data.title : undefined);
  return new XApiError(`X answered ${error.code}${why ? `: ${why}` : ''}`, error.code);
}

async function translated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainXError(error);
  }
}

export function createXApi(client: TwitterApi): XApi {
  const v2 = client.readWrite.v2;
  return {
    tweet: (text) => translated(async () => (await v2.tweet(text)).data),
    reply: (text, toTweetId) => translated(async () => (await v2.reply(text, toTweetId)).data),
    myUserId: () => translated(async () => (await v2.me()).data.id),
    mentionsSince: (userId, sinceId, maxResults) =>
      translated(async () => {
        const page = await v2.userMentionTimeline(userId, {
          ...(sinceId ? { since_id: sinceId } : {}),
          max_results: maxResults,
          expansions: ['author_id'],
          'tweet.fields': ['author_id', 'conversation_id'],
        });
        return page.tweets.map((t) => ({ id: t.id, text: t.text, authorId: t.author_id }));
      }),
  };
}
