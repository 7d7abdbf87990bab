import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * For tests: a stand-in for X's API v2 on 127.0.0.1 that speaks its wire format for the two calls `fetch`
 * makes: `GET /2/users/by/username/:username` and `GET /2/users/:id/tweets` (pages of `max_results`, newest
 * first, `meta.next_token` / `pagination_token`, `since_id`, `exclude=retweets,replies`), with
 * `x-rate-limit-*` headers, a bearer-token check, and scripted failures (429 with `x-rate-limit-reset`, 503).
 */
export interface FakeTweet {
  id: string;
  text: string;
  created_at: string;
  in_reply_to_user_id?: string;
  retweet?: boolean;
  note_tweet?: { text: string };
}

export interface FakeXOptions {
  bearerToken: string;
  /** a `protected` user's timeline answers as X does for an app that may not see it */
  users: { id: string; username: string; tweets: FakeTweet[]; protected?: boolean }[];
  /** answer the timeline request with this 1-based number with a failure, once */
  failures?: Map<number, { status: 429; resetSec: number } | { status: 503 }>;
  /** `x-rate-limit-remaining` counts down from this per timeline request */
  windowLimit?: number;
  /** `x-rate-limit-reset` on successful responses (unix seconds) */
  windowResetSec?: number;
}

export interface FakeX {
  url: string;
  /** path and query of every request, in order */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeX(options: FakeXOptions): Promise<FakeX> {
  const requests: string[] = [];
  let timelineRequests = 0;
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const problem = (res: ServerResponse, status: number, title: string, detail: string, headers: Record<string, string> = {}) =>
    json(res, status, { title, detail, type: 'about:blank', status }, headers);

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(url.pathname + url.search);
    if (req.headers.authorization !== `Bearer ${options.bearerToken}`) {
      return problem(res, 401, 'Unauthorized', 'Unauthorized');
    }
    const byName = /^\/2\/users\/by\/username\/([^/]+)$/.exec(url.pathname);
    if (byName) {
      const user = options.users.find((u) => u.username.toLowerCase() === byName[1].toLowerCase());
      if (!user) {
        return json(res, 200, {
          errors: [
            {
              value: byName[1],
              detail: `Could not find user with username: [${byName[1]}].`,
              title: 'Not Found Error',
              resource_type: 'user',
              parameter: 'username',
              resource_id: byName[1],
              type: 'https://api.twitter.com/2/problems/resource-not-found',
            },
          ],
        });
      }
      return json(res, 200, { data: { id: user.id, name: user.username, username: user.username } });
    }
    const timeline = /^\/2\/users\/(\d+)\/tweets$/.exec(url.pathname);
    if (!timeline) return problem(res, 404, 'Not Found', `no route ${url.pathname}`);
    timelineRequests++;
    const failure = options.failures?.get(timelineRequests);
    if (failure?.status === 429) {
      return problem(res, 429, 'Too Many Requests', 'Too Many Requests', {
        'x-rate-limit-limit': String(options.windowLimit ?? 900),
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(failure.resetSec),
      });
    }
    if (failure?.status === 503) return problem(res, 503, 'Service Unavailable', 'Service Unavailable');
    const user = options.users.find((u) => u.id === timeline[1]);
    if (!user) return problem(res, 404, 'Not Found Error', `no user ${timeline[1]}`);
    if (user.protected) {
      return json(res, 200, {
        errors: [
          {
            resource_id: user.id,
            parameter: 'id',
            resource_type: 'user',
            section: 'data',
            title: 'Authorization Error',
            value: user.id,
            detail: `Sorry, you are not authorized to see the user with id: [${user.id}].`,
            type: 'https://api.twitter.com/2/problems/not-authorized-for-resource',
          },
        ],
      });
    }
    const exclude = (url.searchParams.get('exclude') ?? '').split(',');
    const sinceId = url.searchParams.get('since_id');
    const max = Number(url.searchParams.get('max_results') ?? 10);
    if (!(max >= 5 && max <= 100)) return problem(res, 400, 'Invalid Request', 'max_results must be 5..100');
    const newestFirst = [...user.tweets].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const visible = newestFirst.filter(
      (t) =>
        !(exclude.includes('retweets') && t.retweet) &&
        !(exclude.includes('replies') && t.in_reply_to_user_id !== undefined) &&
        !(sinceId !== null && BigInt(t.id) <= BigInt(sinceId)),
    );
    const token = url.searchParams.get('pagination_token');
    const start = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString().replace('offset:', ''));
    const page = visible.slice(start, start + max);
    const next = start + max < visible.length ? Buffer.from(`offset:${start + max}`).toString('base64url') : undefined;
    const limitHeaders = {
      'x-rate-limit-limit': String(options.windowLimit ?? 900),
      'x-rate-limit-remaining': String(Math.max(0, (options.windowLimit ?? 900) - timelineRequests)),
      'x-rate-limit-reset': String(options.windowResetSec ?? Math.floor(Date.now() / 1000) + 900),
    };
    const data = page.map((t) => ({
      id: t.id,
      text: t.text,
      created_at: t.created_at,
      edit_history_tweet_ids: [t.id],
      ...(t.in_reply_to_user_id !== undefined && { in_reply_to_user_id: t.in_reply_to_user_id }),
      ...(t.retweet && { referenced_tweets: [{ type: 'retweeted', id: '1' }] }),
      ...(t.note_tweet && { note_tweet: t.note_tweet }),
    }));
    const meta =
      page.length === 0
        ? { result_count: 0 }
        : { result_count: page.length, newest_id: page[0].id, oldest_id: page[page.length - 1].id, ...(next && { next_token: next }) };
    return json(res, 200, page.length === 0 ? { meta } : { data, meta }, limitHeaders);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
