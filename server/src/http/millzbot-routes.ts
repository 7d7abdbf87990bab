import type { Context, Hono } from 'hono';
import { runMillzbot, type MillzbotJob } from '../service/millzbot.js';
import { secretMatches } from './auth.js';
import { type RouteDeps, requestSignal } from './deps.js';
import { invalidField, unauthorized } from './errors.js';
import { Fields, readSharedSampling } from './fields.js';
import { readJsonObject } from './read-json.js';

/** The most prompt characters read (gpt-2-cloud-run cut prefixes at 500 characters; we refuse instead). */
const MAX_PROMPT_CHARS = 20_000;

/**
 * `GET|POST /`: gpt-2-cloud-run's API as millzbot calls it. Fields come from the query string (GET) or a
 * JSON body (POST); numbers may be strings, as Python's `int(...)` accepted them.
 * Answers `{"text": first sample}`, plus `"texts": [every sample]` when `count` > 1.
 */
export function registerMillzbotRoutes(app: Hono, deps: RouteDeps): void {
  const handle = async (c: Context, source: Record<string, unknown>) => {
    const fields = new Fields(source, true);
    if (deps.auth.requestToken !== undefined) {
      const token = fields.has('token') ? String(fields.raw('token')) : undefined;
      if (!secretMatches(token, [deps.auth.requestToken])) throw unauthorized('token', 'token: missing or wrong (REQUEST_TOKEN is set)');
    }
    const job = parseMillzbotRequest(fields, deps);
    const started = performance.now();
    const outcome = await runMillzbot(deps.service, {
      ...job,
      signal: requestSignal(c, deps.limits.requestTimeoutMs),
      onFirstToken: () => deps.metrics.observeTimeToFirstToken('/', (performance.now() - started) / 1000),
    });
    deps.metrics.addTokens('/', outcome.completionTokens);
    return c.json(outcome.texts.length > 1 ? { text: outcome.texts[0], texts: outcome.texts } : { text: outcome.texts[0] });
  };
  app.get('/', (c) => handle(c, c.req.query()));
  app.post('/', async (c) => handle(c, await readJsonObject(c, deps.limits.maxBodyBytes)));
}

/** gpt-2-cloud-run's defaults: temperature 0.7, top_k 0 and top_p 0 (both off), include_prefix true. */
function parseMillzbotRequest(fields: Fields, deps: Pick<RouteDeps, 'limits'>): Omit<MillzbotJob, 'signal'> {
  // gpt-2-cloud-run called it `prefix`; millzbot's docs say `prompt`. Both work; `prompt` wins.
  const prompt = fields.optionalString('prompt') ?? fields.optionalString('prefix') ?? '';
  if (prompt.length > MAX_PROMPT_CHARS) throw invalidField('prompt', `longer than ${MAX_PROMPT_CHARS} characters`);
  const { maxNewTokens, maxCount } = deps.limits;
  const topP = fields.number('top_p', 0, { min: 0, max: 1 });
  return {
    prompt,
    maxNewTokens: fields.number('length', maxNewTokens, { min: 1, max: maxNewTokens, integer: true }),
    count: fields.number('count', 1, { min: 1, max: maxCount, integer: true }),
    sampling: {
      temperature: fields.number('temperature', 0.7, { min: 0, max: 100 }),
      // gpt-2-simple treats top_p 0 as "off".
      topP: topP === 0 ? 1 : topP,
      ...readSharedSampling(fields),
    },
    truncate: fields.optionalString('truncate') || undefined,
    includePrefix: fields.boolean('include_prefix', true),
  };
}
