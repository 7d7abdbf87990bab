import type { Hono } from 'hono';
import type { AppEnv, RouteDeps } from './deps.js';

/** Health checks carry no secret (Cloud Run's probes, load balancers): open even when auth is on. */
export const HEALTH_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/**
 * Liveness, readiness (model loaded and warmed, not shutting down) and Prometheus metrics. /metrics needs
 * the caller's secret when one is set: it tells anyone who asks how busy the server is, and Prometheus sends
 * a Bearer token from its scrape config (`authorization: { credentials: ... }`).
 */
export function registerHealthRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    if (deps.isShuttingDown()) return c.json({ status: 'not ready' }, 503);
    if (deps.isWarmingUp?.()) return c.json({ status: 'warming up' }, 503);
    return c.json({ status: 'ready', model: deps.models.fallback.id });
  });
  app.get('/metrics', async (c) => {
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
}
