/**
 * The demo function's HTTP boundary. `GET /` serves the page (`GET /?asset=<name>` its script and icon),
 * with the served model's description in it; `POST /` with `{prompt}` generates a reply under the quality
 * gate: JSON `{prompt, text, joined}` through the reply loop, or with `Accept: text/event-stream` a stream
 * of events (stream-reply.ts: `delta` `{text}` as words pass, `reset` when a shown draft is turned down
 * and another is drawn, then `done` `{prompt, text, joined}`, or `blocked` / `nothing` / `error` with a
 * message). `text` is the model's continuation; `joined` is the prompt and the continuation as one
 * readable message, as the page shows it. Every answer carries the page's security headers; every
 * request passes CORS and, for generation, the prompt checks and then the per-client rate limit first.
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import {
  isModelError,
  joinToPrompt,
  outcomeLogFields,
  type DraftStep,
  type GenerationSettings,
  type Log,
  type ModelClient,
  type ReasonCounts,
  type ReplyLoop,
} from '@mimicbot/functions-shared';
import { decideCors } from './cors.js';
import type { ModelDescription } from './model-description.js';
import { PAGE, type PageAssets } from './page-assets.js';
import { securityHeaders } from './page-security.js';
import { clientId, type RateLimitResult } from './rate-limit.js';
import { renderPage } from './render-page.js';
import { streamReply, type StreamEvent } from './stream-reply.js';
import { validatePrompt } from './validate-prompt.js';

export interface DemoDeps {
  /** Streams replies; the reply loop uses it for the others. */
  model: ModelClient;
  /** With the quality gate (replyLoopFromConfig) and MAX_ATTEMPTS draws. */
  replies: ReplyLoop;
  /** The whole-draft steps a streamed draft is judged by at its end: the reply loop's own. */
  steps: readonly DraftStep[];
  /** The checks each streamed word must pass before it is sent: the gate's streaming checks and the filter. */
  streamingChecks: readonly DraftStep[];
  /** Draws a streamed reply may take (MAX_ATTEMPTS). */
  maxAttempts: number;
  /** The served model's one-line description, for the page. */
  description: ModelDescription;
  rateLimit: (clientId: string) => Promise<RateLimitResult>;
  /** Proxies in front that append to X-Forwarded-For (see rate-limit.ts clientId). */
  trustedProxyHops: number;
  assets: PageAssets;
  allowedOrigins: readonly string[];
  promptMaxChars: number;
  generation: GenerationSettings;
  log: Log;
}

const BLOCKED_MESSAGE = 'The bot came up with something the filter will not show. Try regenerating.';
const GATED_MESSAGE = 'Nothing the bot came up with read well enough to show. Try regenerating.';
const NOTHING_MESSAGE = 'The bot had nothing to say. Try regenerating.';

/** Why nothing is shown, said honestly: the filter's refusal first, then the gate's, then plain silence. */
function nothingPassed(rejected: ReasonCounts): { blocked: boolean; message: string } {
  if ((rejected.filtered ?? 0) > 0) return { blocked: true, message: BLOCKED_MESSAGE };
  const gated = Object.entries(rejected).some(([reason, count]) => reason !== 'empty' && count > 0);
  return { blocked: false, message: gated ? GATED_MESSAGE : NOTHING_MESSAGE };
}

function errorStatus(error: unknown): { status: number; message: string } {
  if (isModelError(error)) {
    if (error.code === 'model_timeout') return { status: 504, message: 'The bot took too long to answer. Try again.' };
    if (error.code === 'model_rejected') return { status: 502, message: `The model server refused the request: ${error.message}` };
    return { status: 503, message: 'The bot is not available right now (the model server may be starting). Try again in a minute.' };
  }
  return { status: 500, message: 'Something went wrong generating a reply.' };
}

export function createDemoHandler(deps: DemoDeps) {
  const headers = securityHeaders(deps.assets.contentSecurityPolicy);

  async function generateJson(prompt: string, res: Response): Promise<void> {
    const outcome = await deps.replies.reply(prompt);
    deps.log('reply_decision', outcomeLogFields(outcome));
    if (outcome.status === 'chosen') {
      const { draft } = outcome;
      res.status(200).json({ prompt, text: draft.continuation, joined: joinToPrompt(prompt, draft.raw, draft.continuation) });
      return;
    }
    res.status(200).json({ prompt, text: '', ...nothingPassed(outcome.rejected), rejected: outcome.rejected });
  }

  async function generateStream(prompt: string, res: Response): Promise<void> {
    const visitor = new AbortController();
    // The visitor left (closed the tab, pressed stop): stop generating for them.
    res.on('close', () => visitor.abort());
    const events = streamReply({
      prompt,
      draw: () => deps.model.stream({ prompt, ...deps.generation }, { signal: visitor.signal }),
      steps: deps.steps,
      streamingChecks: deps.streamingChecks,
      maxDraws: deps.maxAttempts,
    })[Symbol.asyncIterator]();
    // Wait for the first event before committing to 200, so a server that is down still gets a JSON error.
    const first = await events.next();
    res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    const send = (event: string, data: unknown) => void res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const relay = (event: StreamEvent) => {
      if (event.type === 'delta') send('delta', { text: event.text });
      else if (event.type === 'reset') send('reset', {});
      else if (event.type === 'done') {
        deps.log('reply_decision', { status: 'chosen', draws: event.draws, drafts: event.draws, rejected: event.rejected, streaming: true });
        send('done', { prompt: event.prompt, text: event.text, joined: event.joined });
      } else {
        deps.log('reply_decision', { status: 'nothing_passed', draws: event.draws, drafts: event.draws, rejected: event.rejected, streaming: true });
        const { blocked, message } = nothingPassed(event.rejected);
        send(blocked ? 'blocked' : 'nothing', { message, rejected: event.rejected });
      }
    };
    try {
      for (let next = first; !next.done; next = await events.next()) relay(next.value);
    } catch (error) {
      if (!visitor.signal.aborted) {
        deps.log('generate_failed', { error: (error as Error).message, streaming: true });
        send('error', { message: errorStatus(error).message });
      }
    } finally {
      res.end();
    }
  }

  return async function demoHandler(req: Request, res: Response): Promise<void> {
    res.set(headers);
    const cors = decideCors(req.get('origin'), req.get('host'), deps.allowedOrigins);
    if (!cors.allowed) {
      res.status(403).json({ error: { message: `origin ${req.get('origin')} may not call this function (ALLOWED_ORIGINS)`, field: 'origin' } });
      return;
    }
    res.set(cors.headers);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      // The page asks for its files as `?asset=demo.js` on its own URL, which works whether the function
      // is served at `/` (Cloud Run URL) or under `/demo` (cloudfunctions.net URL). The icon too: the
      // framework answers /favicon.ico with a 404 itself, before the function sees it, so the page links
      // `?asset=favicon.svg` and browsers never ask for /favicon.ico.
      const name = typeof req.query.asset === 'string' ? req.query.asset : PAGE;
      const asset = deps.assets.files.get(name);
      if (!asset) {
        res.status(404).json({ error: { message: `no asset named ${JSON.stringify(name)}`, field: 'asset' } });
        return;
      }
      res.status(200).set({ 'content-type': asset.contentType, 'cache-control': 'public, max-age=300' });
      res.send(name === PAGE ? renderPage(deps.assets.template, await deps.description()) : asset.body);
      return;
    }
    if (req.method !== 'POST') {
      res.status(405).set('allow', 'GET, POST, OPTIONS').json({ error: { message: 'use GET for the page, POST to generate', field: 'method' } });
      return;
    }
    if (!req.is('application/json')) {
      res.status(415).json({ error: { message: 'send the prompt as JSON: {"prompt": "..."}', field: 'content-type' } });
      return;
    }
    const checked = validatePrompt(req.body, deps.promptMaxChars);
    if (!checked.ok) {
      res.status(400).json({ error: { message: checked.message, field: checked.field } });
      return;
    }
    let limit: RateLimitResult;
    try {
      limit = await deps.rateLimit(clientId(req.headers['x-forwarded-for'], req.socket.remoteAddress, deps.trustedProxyHops));
    } catch (error) {
      deps.log('rate_limit_failed', { error: (error as Error).message });
      res.status(503).json({ error: { message: 'The demo is not available right now. Try again in a minute.' } });
      return;
    }
    if (!limit.allowed) {
      res.status(429).set('retry-after', String(limit.retryAfterS)).json({
        error: { message: `Too many requests; try again in ${limit.retryAfterS} s.`, field: 'client' },
      });
      return;
    }
    const wantsStream = (req.get('accept') ?? '').includes('text/event-stream');
    try {
      if (wantsStream) await generateStream(checked.prompt, res);
      else await generateJson(checked.prompt, res);
    } catch (error) {
      const { status, message } = errorStatus(error);
      deps.log('generate_failed', { error: (error as Error).message });
      if (!res.headersSent) res.status(status).json({ error: { message } });
      else res.end();
    }
  };
}
