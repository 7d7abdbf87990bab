import type { Hono } from 'hono';
import type { RouteDeps } from './deps.js';

/** Liveness, readiness (model loaded and warmed, not shutting down) and Prometheus metrics. */
export function registerHealthRoutes(app: Hono, deps: RouteDeps): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) =>
    deps.isReady() ? c.json({ status: 'ready', model: deps.modelId }) : c.json({ status: 'not ready' }, 503),
  );
  app.get('/metrics', async (c) => {
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
}
