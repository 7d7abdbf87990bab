/** Builds the demo handler's dependencies from the parsed config. */
import { createKeyValueStore, jsonLog, modelClientFromConfig, outputFilterFromConfig } from '@mimicbot/functions-shared';
import type { DemoConfig } from './config.js';
import type { DemoDeps } from './handler.js';
import { loadPageAssets } from './page-assets.js';
import { createRateLimiter } from './rate-limit.js';

export function demoDepsFromConfig(config: DemoConfig): DemoDeps {
  return {
    model: modelClientFromConfig(config.shared),
    filter: outputFilterFromConfig(config.shared),
    rateLimit: createRateLimiter({
      store: createKeyValueStore({ redisUrl: config.shared.redisUrl, keyPrefix: 'mimicbot:demo:' }),
      limit: config.rateLimitPerMinute,
      windowMs: 60_000,
    }),
    assets: loadPageAssets(),
    allowedOrigins: config.allowedOrigins,
    promptMaxChars: config.promptMaxChars,
    maxAttempts: config.maxAttempts,
    generation: config.shared.generation,
    log: jsonLog,
  };
}
