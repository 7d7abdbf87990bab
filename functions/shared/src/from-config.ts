/** Builds the shared pieces from a parsed SharedConfig, so each function's wiring is one line per piece. */
import type { SharedConfig } from './config.js';
import { createModelClient, type ModelClient, type ModelClientOptions } from './model-client.js';
import { createOutputFilter, type OutputFilter } from './output-filter.js';
import { rankByLikelihood } from './gate/rank-drafts.js';
import { createReplyLoop, type ReplyLoop } from './reply/reply-loop.js';
import { replySteps, type SurfaceSteps } from './reply/reply-steps.js';

export function modelClientFromConfig(config: SharedConfig, overrides: Partial<ModelClientOptions> = {}): ModelClient {
  return createModelClient({
    endpoint: config.modelEndpoint,
    requestToken: config.requestToken,
    audience: config.modelAudience,
    model: config.modelName,
    timeoutMs: config.modelTimeoutMs,
    retries: config.modelRetries,
    ...overrides,
  });
}

export function outputFilterFromConfig(config: SharedConfig): OutputFilter {
  return createOutputFilter(config.outputFilter);
}

/**
 * The reply loop with the quality gate and the shared steps around the surface's own: GATE_CANDIDATES
 * drafts a draw, ranked by likelihood. `model` when the function also streams.
 */
export function replyLoopFromConfig(
  config: SharedConfig,
  options: { maxDraws: number; surface?: SurfaceSteps; model?: ModelClient },
): ReplyLoop {
  return createReplyLoop({
    model: options.model ?? modelClientFromConfig(config),
    generation: config.generation,
    steps: replySteps(outputFilterFromConfig(config), config.gate, options.surface),
    maxDraws: options.maxDraws,
    draftsPerDraw: config.gate.candidates,
    rank: rankByLikelihood(config.gate.priorTokens),
  });
}
