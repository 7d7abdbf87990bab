/** Builds the demo handler's dependencies from the parsed config. */
import {
  blockFiltered,
  createKeyValueStore,
  jsonLog,
  modelClientFromConfig,
  outputFilterFromConfig,
  replyLoopFromConfig,
  replySteps,
  streamingChecks,
  type Log,
} from '@mimicbot/functions-shared';
import type { DemoConfig } from './config.js';
import type { DemoDeps } from './handler.js';
import { createModelDescription } from './model-description.js';
import { loadPageAssets } from './page-assets.js';
import { createRateLimiter } from './rate-limit.js';

export function demoDepsFromConfig(config: DemoConfig, log: Log = jsonLog): DemoDeps {
  const { shared } = config;
  const model = modelClientFromConfig(shared);
  const filter = outputFilterFromConfig(shared);
  return {
    model,
    replies: replyLoopFromConfig(shared, { model, maxDraws: config.maxAttempts }),
    steps: replySteps(filter, shared.gate),
    streamingChecks: [...streamingChecks(shared.gate), blockFiltered(filter)],
    maxAttempts: config.maxAttempts,
    description: createModelDescription({ models: (signal) => model.models({ signal }), modelName: shared.modelName, log }),
    rateLimit: createRateLimiter({ store: createKeyValueStore(shared.store, 'demo', log), limit: config.rateLimitPerMinute, windowMs: 60_000 }),
    trustedProxyHops: config.trustedProxyHops,
    assets: loadPageAssets(),
    allowedOrigins: config.allowedOrigins,
    promptMaxChars: config.promptMaxChars,
    generation: shared.generation,
    log,
  };
}
