/** Builds the shared pieces from a parsed SharedConfig, so each function's wiring is one line per piece. */
import type { SharedConfig } from './config.js';
import { createModelClient, type ModelClient, type ModelClientOptions } from './model-client.js';
import { createOutputFilter, type OutputFilter } from './output-filter.js';

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
