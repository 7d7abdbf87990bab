/** Builds the demo handler's dependencies from the parsed config. */
import { createKeyValueStore, jsonLog, modelClientFromConfig, outputFilterFromConfig, replyLoopFromConfig } from '@mimicbot/functions-shared';
import type { DemoConfig } from './config.js';
import type { DemoDeps } from './handler.js';
import { loadPageAssets } from './page-assets.js';
import { createRateLimiter } from './rate-limit.js';

export function demoDepsFromConfig(config: DemoConfig): DemoDeps {
  const model = modelClientFromConfig(config.shared);
  return {
    model,
    replies: replyLoopFromConfig(config.shared, { model, maxDraws: config.maxAttempts }),
    filter: outputFilterFromConfig(config.shared),
    rateLimit: createRateLimiter({ store: createKeyValueStore(config.shared.store, 'demo'), limit: config.rateLimitPerMinute, windowMs: 60_000 }),
    trustedProxyHops: config.trustedProxyHops,
    assets: loadPageAssets(),
    allowedOrigins: config.allowedOrigins,
    promptMaxChars: config.promptMaxChars,
    generation: config.shared.generation,
    log: jsonLog,
  };
}
