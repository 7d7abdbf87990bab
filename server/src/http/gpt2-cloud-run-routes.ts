import type { Context, Hono } from 'hono';
import { runCachedGpt2CloudRun } from '../service/cached-completions.js';
import type { Gpt2CloudRunJob } from '../service/gpt2-cloud-run.js';
import { bearerToken, type SecretFieldRoute } from './auth.js';
import { type AppEnv, type RouteDeps, requestSignal } from './deps.js';
import { unauthorized } from './errors.js';
import { Fields, readSharedSampling } from './fields.js';
import { readJsonObject } from './read-json.js';

/** `/` may carry the caller's secret in its `token` field, as gpt-2-cloud-run's clients send it. */
export const GPT2_CLOUD_RUN_SECRET_FIELD: SecretFieldRoute = { path: '/', methods: ['GET', 'HEAD', 'POST'] };

/**
 * `GET|POST /`: gpt-2-cloud-run's API (the server gpt-2-simple models were deployed with). Fields come from
 * the query string (GET) or a JSON body (POST); numbers may be strings, as Python's `int(...)` accepted them.
 * Answers `{"text": first sample}`, plus `"texts": [every sample]` when `count` > 1.
 */
export function registerGpt2CloudRunRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  const handle = async (c: Context<AppEnv>, source: Record<string, unknown>) => {
    const fields = new Fields(source, true);
    const token = fields.has('token') ? String(fields.raw('token')) : undefined;
    if (!deps.auth.accepts(bearerToken(c.req.header('authorization')), token)) {
      throw unauthorized('token', 'token: missing or wrong; send the secret as the token field or as Authorization: Bearer (the server has REQUEST_TOKEN or API_KEYS set)');
    }
    const job = parseGpt2CloudRunRequest(fields, deps);
    // An extension: gpt-2-cloud-run served one model per deployment.
    const model = deps.models.pick(fields.optionalString('model'));
    c.set('model', model.id);
    const started = performance.now();
    const { outcome, cache } = await runCachedGpt2CloudRun(model.service, {
      ...job,
      signal: requestSignal(c, deps.limits.requestTimeoutMs),
      onFirstToken: () => deps.metrics.observeTimeToFirstToken('/', model.id, (performance.now() - started) / 1000),
    });
    deps.metrics.observeCache(model.id, cache);
    if (cache !== 'hit') deps.metrics.addTokens('/', model.id, outcome.completionTokens);
    return c.json(outcome.texts.length > 1 ? { text: outcome.texts[0], texts: outcome.texts } : { text: outcome.texts[0] });
  };
  app.get('/', (c) => handle(c, c.req.query()));
  app.post('/', async (c) => handle(c, await readJsonObject(c, deps.limits)));
}

/**
 * gpt-2-cloud-run's defaults: temperature 0.7, top_k 0 and top_p 0 (both off), include_prefix true; `length`
 * defaults to MAX_NEW_TOKENS, and the service clamps it to the room the prompt leaves, as gpt-2-simple does.
 */
function parseGpt2CloudRunRequest(fields: Fields, deps: Pick<RouteDeps, 'limits'>): Omit<Gpt2CloudRunJob, 'signal'> {
  // gpt-2-cloud-run called it `prefix`; later clients say `prompt`. Both work; `prompt` wins.
  const prompt = fields.optionalString('prompt') ?? fields.optionalString('prefix') ?? '';
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
