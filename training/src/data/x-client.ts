import http from 'node:http';
import { TwitterApi, type ITwitterApiClientPlugin, type TwitterApiReadOnly } from 'twitter-api-v2';

type ReadOnlyV2 = TwitterApiReadOnly['v2'];

export interface XClientOptions {
  /** app-only (OAuth 2.0) bearer token */
  bearerToken: string;
  /** another base URL for `https://api.x.com/`, e.g. a fake X on 127.0.0.1 in tests */
  apiUrl?: string;
}

/** The two read calls `fetch` makes; the v2 client has them, and so can anything else that speaks X's API. */
export type XTimelineApi = Pick<ReadOnlyV2, 'userByUsername' | 'userTimeline'>;

/**
 * An app-only X API v2 client. twitter-api-v2 has no base-URL setting, so another base URL is applied by a
 * plugin that rewrites each request's URL; the library always calls `https.request`, which accepts `http:`
 * only when handed an `http.Agent` (otherwise it throws "Protocol \"http:\" not supported").
 */
export function createXClient(options: XClientOptions): XTimelineApi {
  const { apiUrl } = options;
  if (!apiUrl) return new TwitterApi(options.bearerToken).readOnly.v2;
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  const rebase: ITwitterApiClientPlugin = {
    onBeforeRequestConfig({ params }) {
      params.url = params.url.replace(/^https:\/\/api\.(?:x|twitter)\.com\//, base);
    },
  };
  const client = new TwitterApi(options.bearerToken, {
    plugins: [rebase],
    httpAgent: base.startsWith('http:') ? new http.Agent() : undefined,
  });
  return client.readOnly.v2;
}
