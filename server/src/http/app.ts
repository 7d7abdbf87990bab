import { Hono } from 'hono';
import { CallerAuth, requireSecret } from './auth.js';
import { Backlog, withBacklog } from './backlog.js';
import { CompletionCache } from '../service/completion-cache.js';
import type { AppEnv, AppOptions, RouteDeps } from './deps.js';
import { errorResponse, methodNotAllowed, notFound, shuttingDown } from './errors.js';
import { GPT2_CLOUD_RUN_SECRET_FIELD, registerGpt2CloudRunRoutes } from './gpt2-cloud-run-routes.js';
import { HEALTH_PATHS, registerHealthRoutes } from './health-routes.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import { registerOpenAiRoutes } from './openai-routes.js';
import { ServedModels, type RouteModel } from './served-models.js';
import { toApiError } from './to-api-error.js';

/** Paths echoed in 404/405 messages are cut here (a path may be up to 16 KB). */
const MAX_ECHOED_PATH = 200;

/**
 * The whole HTTP surface. Routes convert wire fields and delegate to the service; every error they throw
 * reaches the one `onError` boundary below and becomes `{"error": {...}}` with its status.
 */
export function createApp(options: AppOptions): { app: Hono<AppEnv>; metrics: ServerMetrics } {
  if (options.models.length === 0) throw new Error('createApp: no models to serve');
  const cache = new CompletionCache<object>(options.cache ?? { ttlMs: 1, maxEntries: 0, maxBytes: 1 });
  // One backlog per model: each engine works through its own queue at its own rate.
  const backlogs: Backlog[] = [];
  const routeModels = options.models.map((model): RouteModel => {
    const backlog = new Backlog();
    backlogs.push(backlog);
    const engine = withBacklog(model.engine, backlog);
    return {
      id: model.id,
      ...(model.details === undefined ? {} : { details: model.details }),
      service: {
        engine,
        tokenizer: model.tokenizer,
        encoder: model.encoder,
        limits: { maxPromptTokens: options.limits.maxPromptTokens, contextLength: model.contextLength },
        cache,
        modelId: model.id,
      },
    };
  });
  const fallback = routeModels.find((m) => m.id === options.defaultModelId) ?? routeModels[0];
  if (options.defaultModelId !== undefined && fallback.id !== options.defaultModelId) {
    throw new Error(`createApp: the default model ${JSON.stringify(options.defaultModelId)} is not among ${routeModels.map((m) => m.id).join(', ')}`);
  }
  const models = new ServedModels(routeModels, fallback, !options.modelMustMatch);
  const metrics = createMetrics(
    routeModels.map((m) => ({ id: m.id, stats: () => m.service.engine.stats() })),
    cache,
  );
  const deps: RouteDeps = {
    ...options,
    auth: new CallerAuth(options.auth),
    models,
    cache,
    metrics,
    errors: {
      requestTimeoutMs: options.limits.requestTimeoutMs,
      // Waiting longer than a request may take is pointless. With several models the busiest one's backlog
      // answers: the error does not say which model's queue was full.
      retryAfterSeconds: () => Math.max(...backlogs.map((b) => b.retryAfterSeconds(Math.ceil(options.limits.requestTimeoutMs / 1000)))),
    },
    now: options.now ?? Date.now,
  };
  const app = new Hono<AppEnv>();
  // Filled once the routes are registered: path -> the methods it answers.
  const routes = new Map<string, string[]>();

  app.use(async function recordRequestMetrics(c, next) {
    const started = performance.now();
    await next();
    // A stream records itself when its last chunk is written.
    if (c.res.headers.get('content-type')?.startsWith('text/event-stream')) return;
    // Unknown paths share one label, so a scan cannot grow the metrics without bound.
    const route = routes.has(c.req.path) ? c.req.path : 'unmatched';
    metrics.observeRequest(route, c.get('model') ?? '', c.req.method, c.res.status, (performance.now() - started) / 1000);
  });
  app.use(async function refuseWhileShuttingDown(c, next) {
    // Requests still arriving on kept-alive connections after SIGTERM; health checks answer for themselves.
    if (options.isShuttingDown() && !HEALTH_PATHS.has(c.req.path)) throw shuttingDown();
    await next();
  });
  app.use(requireSecret(deps.auth, HEALTH_PATHS, [GPT2_CLOUD_RUN_SECRET_FIELD]));

  registerHealthRoutes(app, deps);
  registerGpt2CloudRunRoutes(app, deps);
  registerOpenAiRoutes(app, deps);

  for (const { path, method } of app.routes) {
    if (method === 'ALL') continue;
    const methods = routes.get(path) ?? [];
    // Hono answers HEAD with the GET handler.
    for (const m of method === 'GET' ? ['GET', 'HEAD'] : [method]) if (!methods.includes(m)) methods.push(m);
    routes.set(path, methods);
  }

  app.notFound((c) => {
    const path = c.req.path.slice(0, MAX_ECHOED_PATH);
    const allowed = routes.get(c.req.path);
    return errorResponse(allowed ? methodNotAllowed(c.req.method, path, allowed) : notFound(`${c.req.method} ${path}`));
  });
  app.onError((error, c) => {
    const apiError = toApiError(error, deps.errors);
    if (apiError.status === 500) options.logError?.(`${c.req.method} ${c.req.path} failed: ${describe(error)}`);
    return errorResponse(apiError);
  });
  return { app, metrics };
}

/** Name and message only: stack traces and request contents stay out of the log. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
