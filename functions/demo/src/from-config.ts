/** Builds the demo handler's dependencies from the parsed config. */
import {
  blockFiltered,
  createKeyValueStore,
  createReplyLoop,
  feedbackStoreFromConfig,
  jsonLog,
  modelClientFromConfig,
  outputFilterFromConfig,
  rankByLikelihood,
  replySteps,
  streamingChecks,
  type FeedbackStore,
  type Log,
} from '@mimicbot/functions-shared';
import type { DemoConfig } from './config.js';
import type { DemoDeps } from './handler.js';
import { loadPageAssets } from './page-assets.js';
import { createRateLimiter } from './rate-limit.js';
import { newSeed } from './reply-id.js';
import { createServedModels } from './served-models.js';
import { createSuggestions } from './suggestions.js';

/**
 * `feedback` is where shown replies and their ratings are kept: by default where the function's other state
 * goes (Firestore with STORE=firestore, this instance's memory otherwise), as feedbackStoreFromConfig says
 * in its start-up line.
 */
export function demoDepsFromConfig(config: DemoConfig, log: Log = jsonLog, feedback?: FeedbackStore): DemoDeps {
  const { shared } = config;
  feedback ??= feedbackStoreFromConfig(shared.store, config.feedback, { log });
  const models = config.modelNames.length > 0 ? config.modelNames.map((model) => modelClientFromConfig(shared, { model })) : [modelClientFromConfig(shared)];
  const filter = outputFilterFromConfig(shared);
  const steps = replySteps(filter, shared.gate);
  const store = createKeyValueStore(shared.store, 'demo', log);
  return {
    modelNames: config.modelNames,
    models,
    replyLoop: (model, seed) =>
      createReplyLoop({
        model,
        generation: shared.generation,
        steps,
        maxDraws: config.maxAttempts,
        draftsPerDraw: shared.gate.candidates,
        rank: rankByLikelihood(shared.gate.priorTokens),
        seed,
      }),
    steps,
    streamingChecks: [...streamingChecks(shared.gate), blockFiltered(filter)],
    maxAttempts: config.maxAttempts,
    generation: shared.generation,
    feedback,
    newSeed,
    servedModels: createServedModels({ models: (signal) => models[0].models({ signal }), log }),
    suggest: createSuggestions({ curated: config.suggestedPrompts, feedback, filter, minVoters: config.suggestMinVoters, log }),
    rateLimit: createRateLimiter({ store, limit: config.rateLimitPerMinute, windowMs: 60_000 }),
    feedbackRateLimit: createRateLimiter({ store, limit: config.feedbackPerMinute, windowMs: 60_000, keyPrefix: 'feedback' }),
    trustedProxyHops: config.trustedProxyHops,
    assets: loadPageAssets(),
    allowedOrigins: config.allowedOrigins,
    promptMaxChars: config.promptMaxChars,
    log,
  };
}
