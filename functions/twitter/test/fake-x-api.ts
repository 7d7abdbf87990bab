/**
 * A stand-in for X's API v2 on 127.0.0.1, speaking X's wire format: `POST /2/tweets` → 201
 * `{data:{id,text}}`, a repeated text → X's 403 duplicate problem body (no `errors[]`), a spent rate
 * limit → 429 with `x-rate-limit-*` headers, `GET /2/users/me` and `GET /2/users/:id/mentions` with
 * `since_id`. Every request must carry a valid OAuth 1.0a HMAC-SHA1 signature for the known credentials,
 * checked here exactly as X checks it; anything else gets X's 401.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface FakeXCredentials {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: unknown;
}

export interface FakeTweet {
  id: string;
  text: string;
  author_id: string;
}

export const DUPLICATE_BODY = {
  detail: 'You are not allowed to create a Tweet with duplicate content.',
  type: 'about:blank',
  title: 'Forbidden',
  status: 403,
};

const UNAUTHORIZED_BODY = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };

/** RFC 3986 percent-encoding, as OAuth 1.0a requires (encodeURIComponent leaves !*'() alone). */
const percent = (value: string) => encodeURIComponent(value).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Parses `OAuth k="v", ...`; undefined when the header is not that shape. */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header?.startsWith('OAuth ')) return undefined;
  const fields: Record<string, string> = {};
  for (const part of header.slice(6).split(',')) {
    const match = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
    if (!match) return undefined;
    fields[match[1]] = decodeURIComponent(match[2]);
  }
  return fields;
}

export class FakeXApi {
  readonly requests: RecordedRequest[] = [];
  readonly posted: FakeTweet[] = [];
  readonly me = { id: '1000', name: 'mimicbot', username: 'mimicbot' };
  /** Mentions of the bot the timeline serves (any order). */
  mentions: FakeTweet[] = [];
  /** While set and in the future (epoch seconds), `POST /2/tweets` answers 429. */
  postRateLimitResetAt: number | undefined;
  /**
   * The next this-many posts find the limit spent, resetting `resetInS` seconds after each arrives (a
   * limit relative to the request, so a slow generation cannot outlive it).
   */
  spentPosts = { count: 0, resetInS: 1 };
  /** Awaited after a post is made and before X answers it (a test can stall the answer, or drop it). */
  onPosted: ((tweet: FakeTweet) => Promise<void>) | undefined;
  /** OAuth failures seen (each also answered 401). */
  readonly authFailures: string[] = [];
  private nextId = 1_900_000_000_000_000_000n;
  private server: Server | undefined;
  url = '';

  constructor(private readonly credentials: FakeXCredentials) {}

  /** The X poster's environment for this fake: the four OAuth 1.0a keys it checks, and (once started) its URL. */
  clientEnv(): Record<string, string> {
    return {
      X_APP_KEY: this.credentials.appKey,
      X_APP_SECRET: this.credentials.appSecret,
      X_ACCESS_TOKEN: this.credentials.accessToken,
      X_ACCESS_SECRET: this.credentials.accessSecret,
      ...(this.url ? { X_API_URL: this.url } : {}),
    };
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  newId(): string {
    this.nextId += 1n;
    return String(this.nextId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const body = raw && /json/.test(req.headers['content-type'] ?? '') ? JSON.parse(raw) : undefined;
    this.requests.push({ method: req.method ?? '', path: url.pathname, query, authorization: req.headers.authorization, body });

    const authProblem = this.checkSignature(req.method ?? 'GET', url, req.headers.authorization);
    if (authProblem) {
      this.authFailures.push(authProblem);
      return send(res, 401, UNAUTHORIZED_BODY);
    }

    if (req.method === 'POST' && url.pathname === '/2/tweets') return this.postTweet(res, body as { text?: string });
    if (req.method === 'GET' && url.pathname === '/2/users/me') return send(res, 200, { data: this.me });
    const mentions = /^\/2\/users\/(\d+)\/mentions$/.exec(url.pathname);
    if (req.method === 'GET' && mentions) return this.mentionTimeline(res, mentions[1], query);
    send(res, 404, { title: 'Not Found Error', type: 'https://api.x.com/2/problems/resource-not-found', status: 404, detail: `no route ${url.pathname}` });
  }

  private async postTweet(res: ServerResponse, body: { text?: string; reply?: { in_reply_to_tweet_id?: string } } | undefined): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    if (this.spentPosts.count > 0) {
      this.spentPosts.count--;
      this.postRateLimitResetAt = now + this.spentPosts.resetInS;
    }
    if (this.postRateLimitResetAt !== undefined && this.postRateLimitResetAt > now) {
      return send(res, 429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, {
        'x-rate-limit-limit': '17',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(this.postRateLimitResetAt),
      });
    }
    const text = body?.text;
    if (typeof text !== 'string' || text === '') {
      return send(res, 400, { errors: [{ message: 'text is required' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.x.com/2/problems/invalid-request' });
    }
    if (this.posted.some((t) => t.text === text)) return send(res, 403, DUPLICATE_BODY);
    const tweet = { id: this.newId(), text, author_id: this.me.id, ...(body?.reply ? { in_reply_to: body.reply.in_reply_to_tweet_id } : {}) };
    this.posted.push(tweet);
    await this.onPosted?.(tweet);
    if (res.destroyed) return;
    send(res, 201, { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } }, {
      'x-rate-limit-limit': '17',
      'x-rate-limit-remaining': '16',
      'x-rate-limit-reset': String(now + 86_400),
    });
  }

  private mentionTimeline(res: ServerResponse, userId: string, query: Record<string, string>): void {
    const since = query.since_id ? BigInt(query.since_id) : -1n;
    const max = Number(query.max_results ?? 10);
    const found = this.mentions
      .filter((t) => BigInt(t.id) > since && userId === this.me.id)
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .slice(0, max);
    if (found.length === 0) return send(res, 200, { meta: { result_count: 0 } });
    send(res, 200, {
      data: found.map((t) => ({ id: t.id, text: t.text, author_id: t.author_id, edit_history_tweet_ids: [t.id] })),
      meta: { newest_id: found[0].id, oldest_id: found.at(-1)!.id, result_count: found.length },
    });
  }

  /** Recomputes the OAuth 1.0a HMAC-SHA1 signature; returns what is wrong, or undefined when it is valid. */
  private checkSignature(method: string, url: URL, header: string | undefined): string | undefined {
    const oauth = parseOAuthHeader(header);
    if (!oauth) return 'no OAuth Authorization header';
    for (const field of ['oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp', 'oauth_token', 'oauth_version']) {
      if (!oauth[field]) return `missing ${field}`;
    }
    if (oauth.oauth_signature_method !== 'HMAC-SHA1' || oauth.oauth_version !== '1.0') return 'not HMAC-SHA1 / 1.0';
    if (oauth.oauth_consumer_key !== this.credentials.appKey || oauth.oauth_token !== this.credentials.accessToken) return 'unknown key or token';
    if (Math.abs(Number(oauth.oauth_timestamp) - Date.now() / 1000) > 300) return 'stale oauth_timestamp';
    const params: [string, string][] = [
      ...Object.entries(oauth).filter(([key]) => key !== 'oauth_signature'),
      ...[...url.searchParams.entries()],
    ].map(([k, v]) => [percent(k), percent(v)]);
    params.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1));
    const baseString = [method.toUpperCase(), percent(`${url.origin}${url.pathname}`), percent(params.map(([k, v]) => `${k}=${v}`).join('&'))].join('&');
    const key = `${percent(this.credentials.appSecret)}&${percent(this.credentials.accessSecret)}`;
    const expected = createHmac('sha1', key).update(baseString).digest('base64');
    return expected === oauth.oauth_signature ? undefined : 'bad oauth_signature';
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
