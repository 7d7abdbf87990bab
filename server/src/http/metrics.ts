import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineStats } from '../engine/types.js';

/** The server's Prometheus metrics, in a registry of their own (several apps can live in one process). */
export interface ServerMetrics {
  registry: Registry;
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  observeTimeToFirstToken(route: string, seconds: number): void;
  addTokens(route: string, count: number): void;
}

export function createMetrics(engineStats: () => EngineStats): ServerMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'mimicbot_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
  });
  // Same shape for each: one metric per route label, in this app's registry.
  const routeHistogram = (name: string, help: string, buckets: number[]) =>
    new Histogram({ name, help, labelNames: ['route'], buckets, registers: [registry] });
  const engineGauge = (name: string, help: string, read: (stats: EngineStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(engineStats()));
      },
    });
  const latency = routeHistogram(
    'mimicbot_http_request_duration_seconds',
    'Time from request to the end of the response (for streams, the last chunk)',
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  );
  const ttft = routeHistogram(
    'mimicbot_time_to_first_token_seconds',
    'Time from request to the first generated token',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  );
  const tokens = new Counter({
    name: 'mimicbot_tokens_generated_total',
    help: 'Tokens generated, by route',
    labelNames: ['route'],
    registers: [registry],
  });
  engineGauge('mimicbot_queue_depth', 'Sequences waiting for a batch slot', (s) => s.queueDepth);
  engineGauge('mimicbot_batch_size', 'Sequences in the running batch', (s) => s.activeSequences);
  return {
    registry,
    observeRequest(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route }, seconds);
    },
    observeTimeToFirstToken: (route, seconds) => ttft.observe({ route }, seconds),
    addTokens: (route, count) => tokens.inc({ route }, count),
  };
}
