/**
 * The demo function's HTTP boundary. `GET /` serves the page (`GET /?asset=<name>` its script and icon);
 * `POST /` with `{prompt}` generates a reply: JSON `{text}` through the reply loop, or with
 * `Accept: text/event-stream` a stream of events (`delta` `{text}` as words are generated, then `done`
 * `{text}`, or `blocked` / `error`). Every answer carries the page's security headers; every request passes
 * CORS and, for generation, the prompt checks and then the per-client rate limit first.
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import {
  isModelError,
  outcomeLogFields,
  type GenerationSettings,
  type Log,
  type ModelClient,
  type OutputFilter,
  type ReplyLoop,
} from '@mimicbot/functions-shared';
import { decideCors } from './cors.js';
import { PAGE, type PageAssets } from './page-assets.js';
import { securityHeaders } from './page-security.js';
import { clientId, type RateLimitResult } from './rate-limit.js';
import { StreamCleaner, type CleanerStep } from './stream-cleaner.js';
import { validatePrompt } from './validate-prompt.js';

export interface DemoDeps {
  /** Streams replies; the reply loop uses it for the others. */
  model: ModelClient;
  replies: ReplyLoop;
  /** Judges streamed words as they arrive. */
  filter: OutputFilter;
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
const NOTHING_MESSAGE = 'The bot had nothing to say. Try regenerating.';

function errorStatus(error: unknown): { status: number; message: string } {
  if (isModelError(error)) {
    if (error.code === 'model_timeout') return { status: 504, message: 'The bot took too long to answer. Try again.' };
    if (error.code === 'model_rejected') return { status: 502, message: `The model server refused the request: ${error.message}` };
    return { status: 503, message: 'The bot is not available right now (the model server may be starting). Try again in a minute.' };
  }
  return { status: 500, message: 'Something went wrong generating a reply.' };
}

export function createDemoHandler(deps: DemoDeps) {
  const request = (prompt: string) => ({ prompt, ...deps.generation });
  const headers = securityHeaders(deps.assets.contentSecurityPolicy);

  async function generateJson(prompt: string, res: Response): Promise<void> {
    const outcome = await deps.replies.reply(prompt);
    deps.log('reply_decision', outcomeLogFields(outcome));
    if (outcome.status === 'chosen') {
      res.status(200).json({ text: outcome.text });
      return;
    }
    const blocked = (outcome.rejected.filtered ?? 0) > 0;
    res.status(200).json({ text: '', blocked, message: blocked ? BLOCKED_MESSAGE : NOTHING_MESSAGE, rejected: outcome.rejected });
  }

  async function generateStream(prompt: string, res: Response): Promise<void> {
    const upstream = new AbortController();
    // The visitor left (closed the tab, pressed stop): stop generating for them.
    res.on('close', () => upstream.abort());
    const iterator = deps.model.stream(request(prompt), { signal: upstream.signal })[Symbol.asyncIterator]();
    // Wait for the first delta before committing to 200, so a server that is down still gets a JSON error.
    const first = await iterator.next();
    res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    const send = (event: string, data: unknown) => void res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const cleaner = new StreamCleaner(deps.filter);
    let blocked = false;
    const relay = (step: CleanerStep): boolean => {
      if (step.text) send('delta', { text: step.text });
      if (step.blocked) {
        blocked = true;
        deps.log('reply_blocked', { streaming: true });
        send('blocked', { message: BLOCKED_MESSAGE });
      }
      return step.stop;
    };
    try {
      let next = first;
      let stopped = false;
      while (!next.done && !stopped) {
        stopped = relay(cleaner.push(next.value.text));
        if (!stopped) next = await iterator.next();
      }
      relay(cleaner.end());
      if (!blocked) send('done', { text: cleaner.emitted });
    } catch (error) {
      if (!upstream.signal.aborted) {
        deps.log('generate_failed', { error: (error as Error).message, streaming: true });
        send('error', { message: errorStatus(error).message });
      }
    } finally {
      // Ends the upstream request when we stopped early (end-of-text, a blocked word).
      upstream.abort();
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
      res.send(asset.body);
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
