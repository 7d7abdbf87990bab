// The server package's public API.
// Engine (S-engine): token-level generation, model loading, continuous batching.
export type { Engine, EngineStats, FinishReason, ModelConfig, ModelInfo, SamplingParams, TokenRequest, TokenResult } from './engine/types.js';
export { createEngine, type EngineOptions, type OnnxEngine } from './engine/engine.js';
export { EngineClosedError, InvalidTokenRequestError, ModelLoadError, QueueFullError, type ModelLoadErrorCode } from './engine/errors.js';
// Text, service and HTTP (S-api): tokenizer, incremental decoding, stop sequences, millzbot semantics,
// the Hono app (millzbot- and OpenAI-compatible), config, and the whole server as one call.
export * from './text/index.js';
export * from './service/index.js';
export { createApp } from './http/app.js';
export type { AppOptions, HttpLimits } from './http/deps.js';
export { ApiError } from './http/errors.js';
export { parseConfig, ConfigError, DEFAULT_MODEL_DIR, type ServerConfig } from './config.js';
export { startMimicbotServer, type RunningServer, type StartOptions } from './service/mimicbot-server.js';
export { openModel, type OpenModel, type OpenModelOptions } from './service/open-model.js';
