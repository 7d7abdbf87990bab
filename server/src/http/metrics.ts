import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineStats } from '../engine/types.js';
import type { CacheOutcome } from '../service/completion-cache.js';

/** The server's Prometheus metrics, in a registry of their own (several apps can live in one process). */
export interface ServerMetrics {
  registry: Registry;
  /** `model`: the served model's id, or '' when the request never reached one (unknown routes, health checks): then no label. */
  observeRequest(route: string, model: string, method: string, status: number, seconds: number): void;
  observeTimeToFirstToken(route: string, model: string, seconds: number): void;
  addTokens(route: string, model: string, count: number): void;
  /** A cacheable request's lookup: a hit or a miss (bypassed requests are not counted). */
  observeCache(model: string, outcome: CacheOutcome): void;
}

/** What the metrics read on each scrape. */
export interface MetricsSources {
  models: readonly { id: string; stats: () => EngineStats }[];
  cache: { readonly entries: number; readonly bytes: number };
}

/**
 * Every series that concerns one model carries `model="<id>"`: only served ids ever become label values,
 * so a request naming an unknown model cannot grow the metrics.
 */
export function createMetrics(models: MetricsSources['models'], cache: MetricsSources['cache']): ServerMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'mimicbot_http_requests_total',
    help: 'HTTP requests by route, model, method and status',
    labelNames: ['route', 'model', 'method', 'status'],
    registers: [registry],
  });
  // Same shape for each: one metric per route and model, in this app's registry.
  const routeHistogram = (name: string, help: string, buckets: number[]) =>
    new Histogram({ name, help, labelNames: ['route', 'model'], buckets, registers: [registry] });
  const engineGauge = (name: string, help: string, read: (stats: EngineStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['model'],
      registers: [registry],
      collect() {
        for (const model of models) this.set({ model: model.id }, read(model.stats()));
      },
    });
  const cacheGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  const latency = routeHistogram(
    'mimicbot_http_request_duration_seconds',
    'Time from request to the end of the response (for streams, the last chunk)',
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  );
  const ttft = routeHistogram(
    'mimicbot_time_to_first_token_seconds',
    'Time from request to the first generated token (answers from the completion cache are not counted)',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  );
  const tokens = new Counter({
    name: 'mimicbot_tokens_generated_total',
    help: 'Tokens generated, by route and model',
    labelNames: ['route', 'model'],
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: 'mimicbot_completion_cache_lookups_total',
    help: 'Completion cache lookups of repeatable (greedy or seeded) requests, by model and result (hit, miss)',
    labelNames: ['model', 'result'],
    registers: [registry],
  });
  engineGauge('mimicbot_queue_depth', 'Sequences waiting for a batch slot', (s) => s.queueDepth);
  engineGauge('mimicbot_batch_size', 'Sequences in the running batch', (s) => s.activeSequences);
  cacheGauge('mimicbot_completion_cache_entries', 'Answers in the completion cache (all models)', () => cache.entries);
  cacheGauge('mimicbot_completion_cache_bytes', 'Bytes of answers in the completion cache (all models), keys included', () => cache.bytes);
  return {
    registry,
    observeRequest(route, model, method, status, seconds) {
      // Requests that never reached a model carry no model label at all.
      requests.inc(model === '' ? { route, method, status: String(status) } : { route, model, method, status: String(status) });
      latency.observe(model === '' ? { route } : { route, model }, seconds);
    },
    observeTimeToFirstToken: (route, model, seconds) => ttft.observe({ route, model }, seconds),
    addTokens: (route, model, count) => tokens.inc({ route, model }, count),
    observeCache(model, outcome) {
      if (outcome !== 'bypass') cacheLookups.inc({ model, result: outcome });
    },
  };
}
