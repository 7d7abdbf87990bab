/**
 * A stand-in for Slack's Web API on 127.0.0.1, speaking its wire format: form-encoded (or JSON) POSTs to
 * /api/<method> with a Bearer token, JSON `{ok: ...}` answers. It answers what the bot calls (auth.test,
 * chat.postMessage, reactions.add/remove) and records every call.
 *
 * Two users: DRY_RUN, where the function starts one in its own process and logs each message that would
 * have been posted (so `npm run dev` never reaches the real Slack with a made-up token); and the tests,
 * which also use `intercept` to make a call fail or stall.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface SlackApiCall {
  method: string;
  params: Record<string, string>;
  authorization?: string;
  at: number;
}

export interface SlackApiAnswer {
  status?: number;
  body: Record<string, unknown>;
  /** Close the connection instead of answering: the caller cannot tell whether the call took effect. */
  drop?: boolean;
}

/** Who the bot is, as auth.test tells it. */
export interface LocalBotIdentity {
  teamId: string;
  team: string;
  userId: string;
  botId: string;
}

export const LOCAL_BOT_IDENTITY: LocalBotIdentity = { teamId: 'T0TEAM', team: 'mimicbot', userId: 'U0BOT', botId: 'B0BOT' };

export interface LocalSlackApiOptions {
  identity?: LocalBotIdentity;
  /** Called with each call as it arrives (DRY_RUN logs posts here). */
  onCall?: (call: SlackApiCall) => void;
  /** A different answer for a call, or undefined for the usual one; may take its time. */
  intercept?: (call: SlackApiCall) => Promise<SlackApiAnswer | undefined>;
}

export interface LocalSlackApi {
  /** The Web API base URL, ending in /api/ (Bolt's `slackApiUrl`). */
  url: string;
  readonly calls: SlackApiCall[];
  close(): Promise<void>;
}

/** Slack caps a message at 40,000 characters; a request body past this is not one the bot sends. */
const MAX_BODY_BYTES = 1_000_000;

/** The body's fields: form-encoded as Slack's clients send them, or JSON (nested values as JSON text). */
async function readParams(req: IncomingMessage): Promise<Record<string, string> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!(req.headers['content-type'] ?? '').includes('application/json')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    const parsed = JSON.parse(raw || '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
  } catch {
    return {};
  }
}

export async function startLocalSlackApi(options: LocalSlackApiOptions = {}): Promise<LocalSlackApi> {
  const identity = options.identity ?? LOCAL_BOT_IDENTITY;
  const calls: SlackApiCall[] = [];
  let posted = 0;

  function usualAnswer(call: SlackApiCall): Record<string, unknown> {
    if (!call.authorization?.startsWith('Bearer xoxb-')) return { ok: false, error: 'not_authed' };
    switch (call.method) {
      case 'auth.test':
        return { ok: true, url: `https://${identity.team}.slack.com/`, team: identity.team, user: identity.team, team_id: identity.teamId, user_id: identity.userId, bot_id: identity.botId, is_enterprise_install: false };
      case 'chat.postMessage': {
        if (!call.params.channel) return { ok: false, error: 'channel_not_found' };
        if (!call.params.text && !call.params.blocks) return { ok: false, error: 'no_text' };
        posted += 1;
        const ts = `${Math.floor(Date.now() / 1000)}.${String(posted).padStart(6, '0')}`;
        return {
          ok: true,
          channel: call.params.channel,
          ts,
          message: { type: 'message', subtype: 'bot_message', text: call.params.text, bot_id: identity.botId, user: identity.userId, ts, ...(call.params.thread_ts ? { thread_ts: call.params.thread_ts } : {}) },
        };
      }
      case 'reactions.add':
      case 'reactions.remove':
        return call.params.channel && call.params.timestamp && call.params.name ? { ok: true } : { ok: false, error: 'invalid_arguments' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server: Server = createServer(async (req, res) => {
    const params = await readParams(req);
    if (params === undefined) {
      res.writeHead(413, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ok: false, error: 'request_too_large' }));
      return;
    }
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
    const call: SlackApiCall = { method, params, authorization: req.headers.authorization, at: Date.now() };
    calls.push(call);
    options.onCall?.(call);
    const answer = (await options.intercept?.(call)) ?? { body: usualAnswer(call) };
    if (answer.drop) {
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return;
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
