/**
 * A stand-in for Discord's HTTP API on 127.0.0.1, speaking its wire format for the two calls mimicbot makes:
 * - `PATCH /webhooks/{application_id}/{token}/messages/@original` with `{content, allowed_mentions}`: edits
 *   the deferred response and answers the message object; an unknown token gets Discord's 404
 *   `{"message": "Unknown Webhook", "code": 10015}`.
 * - `PUT /applications/{id}/commands` with `Authorization: Bot <token>`: replaces the global commands and
 *   answers them with ids (`/applications/{id}/guilds/{guild}/commands` for a guild's).
 * It records every call.
 *
 * Two users: DRY_RUN, where the function starts one in its own process and logs each edit that would have
 * been made (so `npm run dev` never reaches Discord), and the tests, which also use `intercept` to make a
 * call fail, and `expireToken` for a token past its life.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface DiscordApiCall {
  method: string;
  path: string;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  body: unknown;
  authorization?: string;
  at: number;
}

export interface DiscordApiAnswer {
  status: number;
  body: unknown;
}

export interface LocalDiscordApiOptions {
  /** Called with each call as it arrives (DRY_RUN logs edits here). */
  onCall?: (call: DiscordApiCall) => void;
  /** A different answer for a call, or undefined for the usual one. */
  intercept?: (call: DiscordApiCall) => Promise<DiscordApiAnswer | undefined>;
}

export interface LocalDiscordApi {
  /** The API base, as DISCORD_API_URL takes it (no trailing slash). */
  url: string;
  readonly calls: DiscordApiCall[];
  /** The edits of `@original` made so far: `{applicationId, token, content}`. */
  edits(): { applicationId: string; token: string; content: string; allowedMentions: unknown }[];
  /** From now on, this token is unknown, as Discord treats one past its 15 minutes. */
  expireToken(token: string): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;
const EDIT = /^\/webhooks\/([^/]+)\/([^/]+)\/messages\/@original$/;
const COMMANDS = /^\/applications\/([^/]+)(?:\/guilds\/([^/]+))?\/commands$/;

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

let snowflakes = 0n;
/** A fresh snowflake for now (Discord's epoch, then worker/process/increment bits). */
function snowflake(): string {
  return String(((BigInt(Date.now()) - 1_420_070_400_000n) << 22n) + (snowflakes++ % 4096n));
}

export async function startLocalDiscordApi(options: LocalDiscordApiOptions = {}): Promise<LocalDiscordApi> {
  const calls: DiscordApiCall[] = [];
  const expired = new Set<string>();
  const error = (status: number, message: string, code: number): DiscordApiAnswer => ({ status, body: { message, code } });

  function usualAnswer(call: DiscordApiCall): DiscordApiAnswer {
    const edit = EDIT.exec(call.path);
    if (edit && call.method === 'PATCH') {
      const [, applicationId, token] = edit.map(decodeURIComponent);
      if (expired.has(token)) return error(404, 'Unknown Webhook', 10015);
      const body = call.body as { content?: unknown } | undefined;
      if (typeof body?.content !== 'string' || body.content.length > 2000) return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } } } };
      return {
        status: 200,
        body: { id: snowflake(), type: 20, content: body.content, channel_id: '100000000000000001', author: { id: applicationId, username: 'mimicbot', discriminator: '0000', bot: true }, attachments: [], embeds: [], mentions: [], mention_roles: [], pinned: false, mention_everyone: false, tts: false, timestamp: new Date().toISOString(), edited_timestamp: new Date().toISOString(), flags: 0, components: [], application_id: applicationId, webhook_id: applicationId },
      };
    }
    const commands = COMMANDS.exec(call.path);
    if (commands && call.method === 'PUT') {
      if (!call.authorization?.startsWith('Bot ')) return error(401, '401: Unauthorized', 0);
      if (!Array.isArray(call.body)) return error(400, 'Invalid Form Body', 50035);
      const [, applicationId, guildId] = commands;
      return { status: 200, body: (call.body as Record<string, unknown>[]).map((command) => ({ id: snowflake(), application_id: applicationId, version: snowflake(), default_member_permissions: null, type: 1, ...(guildId ? { guild_id: guildId } : {}), ...command })) };
    }
    return error(404, '404: Not Found', 0);
  }

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const call: DiscordApiCall = { method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0].replace(/^\/api\/v10/, ''), body, authorization: req.headers.authorization, at: Date.now() };
    calls.push(call);
    options.onCall?.(call);
    const answer = (await options.intercept?.(call)) ?? usualAnswer(call);
    if (res.destroyed) return;
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v10`,
    calls,
    edits: () =>
      calls.flatMap((call) => {
        const edit = call.method === 'PATCH' ? EDIT.exec(call.path) : null;
        if (!edit) return [];
        const body = call.body as { content: string; allowed_mentions?: unknown };
        return [{ applicationId: decodeURIComponent(edit[1]), token: decodeURIComponent(edit[2]), content: body.content, allowedMentions: body.allowed_mentions }];
      }),
    expireToken: (token) => void expired.add(token),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
