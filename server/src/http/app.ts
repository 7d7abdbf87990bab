import { Hono } from 'hono';
import type { ApiError } from './errors.js';
import { notFound } from './errors.js';
import type { AppOptions, RouteDeps } from './deps.js';
import { registerHealthRoutes } from './health-routes.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import { registerMillzbotRoutes } from './millzbot-routes.js';
import { registerOpenAiRoutes } from './openai-routes.js';
import { toApiError } from './to-api-error.js';

/** Routes reported in metrics as themselves; anything else is "unmatched" (keeps label cardinality bounded). */
const KNOWN_ROUTES = new Set(['/', '/v1/completions', '/v1/models', '/healthz', '/readyz', '/metrics']);

/**
 * The whole HTTP surface. Routes convert wire fields and delegate to the service; every error they throw
 * reaches the one `onError` boundary below and becomes `{"error": {...}}` with its status.
 */
export function createApp(options: AppOptions): { app: Hono; metrics: ServerMetrics } {
  const metrics = createMetrics(() => options.engine.stats());
  const deps: RouteDeps = {
    ...options,
    service: {
      engine: options.engine,
      tokenizer: options.tokenizer,
      limits: { maxPromptTokens: options.limits.maxPromptTokens, contextLength: options.contextLength },
    },
    metrics,
    now: options.now ?? Date.now,
  };
  const app = new Hono();

  app.use(async function recordRequestMetrics(c, next) {
    const started = performance.now();
    await next();
    // A stream records itself when its last chunk is written.
    if (c.res.headers.get('content-type')?.startsWith('text/event-stream')) return;
    const route = KNOWN_ROUTES.has(c.req.path) ? c.req.path : 'unmatched';
    metrics.observeRequest(route, c.req.method, c.res.status, (performance.now() - started) / 1000);
  });

  registerHealthRoutes(app, deps);
  registerMillzbotRoutes(app, deps);
  registerOpenAiRoutes(app, deps);

  app.notFound((c) => errorResponse(notFound(`${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    const apiError = toApiError(error, options.limits.requestTimeoutMs);
    if (apiError.status === 500) options.logError?.(`${c.req.method} ${c.req.path} failed: ${describe(error)}`);
    return errorResponse(apiError);
  });
  return { app, metrics };
}

function errorResponse(error: ApiError): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  return new Response(JSON.stringify(error.toJSON()), { status: error.status, headers });
}

/** Name and message only: stack traces and request contents stay out of the log. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
