/**
 * The demo function's HTTP boundary.
 * - `GET /` serves the page (`GET /?asset=<name>` its script and icon) with its personas in it;
 *   `GET /?suggest=<prefix>` answers `{suggestions: [...]}` (suggestions.ts says which prompts may appear).
 * - `POST /` with `{prompt, model?}` generates one persona's reply under the quality gate (generate.ts):
 *   JSON `{prompt, text, joined, model, replyId}`, or with `Accept: text/event-stream` a stream of events
 *   (`delta` `{text}` as words pass, `reset` when a shown draft is turned down and another is drawn, then
 *   `done` `{prompt, text, joined, model, replyId}`, or `blocked` / `nothing` / `error` with a message).
 *   `text` is the model's continuation; `joined` the prompt and it as one readable message; `replyId` what
 *   a rating names (absent when the reply could not be saved). `model` picks one of MODEL_NAMES.
 * - `POST /feedback` (any path ending so) with `{replyId, rating: 'up'|'down'|null, voter}` sets one voter's
 *   rating of a reply the function saved: 204, or 404 when the id is unknown or expired.
 * Every answer carries the page's security headers; every request passes CORS, and each POST its checks
 * and then its per-client rate limit (generations and ratings are counted apart).
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import type { Log, ModelClient } from '@mimicbot/functions-shared';
import { decideCors } from './cors.js';
import { validateFeedback } from './feedback-request.js';
import { errorStatus, generateJson, generateStream, type GenerateDeps } from './generate.js';
import { PAGE, type PageAssets } from './page-assets.js';
import { securityHeaders } from './page-security.js';
import { describePersonas } from './personas.js';
import { clientId, type RateLimitResult } from './rate-limit.js';
import { renderPage } from './render-page.js';
import type { ServedModels } from './served-models.js';
import type { Suggest } from './suggestions.js';
import { validatePersona, validatePrompt } from './validate-prompt.js';

export interface DemoDeps extends GenerateDeps {
  /** MODEL_NAMES (or MODEL_NAME alone); empty for the server's own model. */
  modelNames: readonly string[];
  /** One client per persona, in the order of modelNames (one when none is named), each sending its `model`. */
  models: readonly ModelClient[];
  /** What the server lists, for the personas' descriptions and ids. */
  servedModels: ServedModels;
  suggest: Suggest;
  rateLimit: (clientId: string) => Promise<RateLimitResult>;
  feedbackRateLimit: (clientId: string) => Promise<RateLimitResult>;
  /** Proxies in front that append to X-Forwarded-For (see rate-limit.ts clientId). */
  trustedProxyHops: number;
  assets: PageAssets;
  allowedOrigins: readonly string[];
  promptMaxChars: number;
  log: Log;
}

type ErrorAnswer = { status: number; message: string; field?: string; headers?: Record<string, string> };

const fail = (res: Response, answer: ErrorAnswer) =>
  void res
    .status(answer.status)
    .set(answer.headers ?? {})
    .json({ error: { message: answer.message, ...(answer.field ? { field: answer.field } : {}) } });

export function createDemoHandler(deps: DemoDeps) {
  const headers = securityHeaders(deps.assets.contentSecurityPolicy);
  const warned = new Set<string>();
  /** The personas as the server's list describes them; a configured name it does not serve is logged once. */
  async function personas() {
    const described = describePersonas(deps.modelNames, await deps.servedModels());
    for (const persona of described) {
      if (persona.served || warned.has(persona.id)) continue;
      warned.add(persona.id);
      deps.log('persona_not_served', { model: persona.id, hint: 'MODEL_NAMES names a model the server does not list in /v1/models' });
    }
    return described;
  }

  /** The rate limit's verdict as an error to send, or undefined to go on. */
  async function limited(req: Request, take: (id: string) => Promise<RateLimitResult>): Promise<ErrorAnswer | undefined> {
    let limit: RateLimitResult;
    try {
      limit = await take(clientId(req.headers['x-forwarded-for'], req.socket.remoteAddress, deps.trustedProxyHops));
    } catch (error) {
      deps.log('rate_limit_failed', { error: (error as Error).message });
      return { status: 503, message: 'The demo is not available right now. Try again in a minute.' };
    }
    if (limit.allowed) return undefined;
    return { status: 429, message: `Too many requests; try again in ${limit.retryAfterS} s.`, field: 'client', headers: { 'retry-after': String(limit.retryAfterS) } };
  }

  async function get(req: Request, res: Response): Promise<void> {
    if (req.query.suggest !== undefined) {
      const prefix = req.query.suggest;
      if (typeof prefix !== 'string' || Array.from(prefix).length > deps.promptMaxChars) {
        return fail(res, { status: 400, message: `suggest must be one prefix of at most ${deps.promptMaxChars} characters`, field: 'suggest' });
      }
      res.status(200).set('cache-control', 'no-store').json({ suggestions: await deps.suggest(prefix) });
      return;
    }
    // The page asks for its files as `?asset=demo.js` on its own URL, which works whether the function
    // is served at `/` (Cloud Run URL) or under `/demo` (cloudfunctions.net URL). The icon too: the
    // framework answers /favicon.ico with a 404 itself, before the function sees it, so the page links
    // `?asset=favicon.svg` and browsers never ask for /favicon.ico.
    const name = typeof req.query.asset === 'string' ? req.query.asset : PAGE;
    const asset = deps.assets.files.get(name);
    if (!asset) return fail(res, { status: 404, message: `no asset named ${JSON.stringify(name)}`, field: 'asset' });
    res.status(200).set({ 'content-type': asset.contentType, 'cache-control': 'public, max-age=300' });
    res.send(name === PAGE ? renderPage(deps.assets.template, await personas()) : asset.body);
  }

  async function rate(req: Request, res: Response): Promise<void> {
    const checked = validateFeedback(req.body);
    if (!checked.ok) return fail(res, { status: 400, message: checked.message, field: checked.field });
    const refused = await limited(req, deps.feedbackRateLimit);
    if (refused) return fail(res, refused);
    let found: boolean;
    try {
      found = await deps.feedback.rate('demo', checked.replyId, checked.voter, checked.rating);
    } catch (error) {
      deps.log('feedback_failed', { error: (error as Error).message });
      return fail(res, { status: 503, message: 'Your rating could not be saved right now. Try again in a minute.' });
    }
    if (!found) return fail(res, { status: 404, message: 'no reply with that id (it may have expired)', field: 'replyId' });
    deps.log('feedback_rated', { rating: checked.rating });
    res.status(204).end();
  }

  async function generate(req: Request, res: Response): Promise<void> {
    const checked = validatePrompt(req.body, deps.promptMaxChars);
    if (!checked.ok) return fail(res, { status: 400, message: checked.message, field: checked.field });
    const persona = validatePersona(req.body as object, deps.modelNames);
    if (!persona.ok) return fail(res, { status: 400, message: persona.message, field: persona.field });
    const refused = await limited(req, deps.rateLimit);
    if (refused) return fail(res, refused);
    // A named persona's id is its name; only the server's own model needs the list (cached) to be named.
    const speaker = { model: deps.models[persona.index], id: deps.modelNames[persona.index] ?? (await personas())[0].id };
    const wantsStream = (req.get('accept') ?? '').includes('text/event-stream');
    try {
      if (wantsStream) await generateStream(deps, speaker, checked.prompt, res);
      else await generateJson(deps, speaker, checked.prompt, res);
    } catch (error) {
      const { status, message } = errorStatus(error);
      deps.log('generate_failed', { error: (error as Error).message });
      if (!res.headersSent) fail(res, { status, message });
      else res.end();
    }
  }

  return async function demoHandler(req: Request, res: Response): Promise<void> {
    res.set(headers);
    const cors = decideCors(req.get('origin'), req.get('host'), deps.allowedOrigins);
    if (!cors.allowed) return fail(res, { status: 403, message: `origin ${req.get('origin')} may not call this function (ALLOWED_ORIGINS)`, field: 'origin' });
    res.set(cors.headers);
    if (req.method === 'OPTIONS') return void res.status(204).end();
    if (req.method === 'GET' || req.method === 'HEAD') return get(req, res);
    if (req.method !== 'POST') {
      return fail(res, { status: 405, message: 'use GET for the page, POST to generate or rate', headers: { allow: 'GET, POST, OPTIONS' } });
    }
    if (!req.is('application/json')) return fail(res, { status: 415, message: 'send the request as JSON: {"prompt": "..."}', field: 'content-type' });
    if (req.path.endsWith('/feedback')) return rate(req, res);
    return generate(req, res);
  };
}
