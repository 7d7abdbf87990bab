/**
 * The settings every function shares: where the model server is and how to reach it, the key-value store,
 * the output filter and generation defaults. Each function's own config.ts calls parseSharedConfig(env).
 */
import { readBoolean, readList, readNumber, readOptionalString, readOptionalUrl, readUrl, type Env } from './config-reader.js';

export interface SharedConfig {
  /** MODEL_ENDPOINT: the inference server's base URL. */
  modelEndpoint: string;
  /** REQUEST_TOKEN: shared secret for the server (its API_KEYS), sent as a Bearer token. */
  requestToken?: string;
  /** MODEL_AUDIENCE: when set, also send a Google-signed ID token for this audience (private Cloud Run). */
  modelAudience?: string;
  /** MODEL_NAME: the `model` field; unset lets the server use the one it serves. */
  modelName?: string;
  /** MODEL_TIMEOUT_MS (default 30000): per attempt. */
  modelTimeoutMs: number;
  /** MODEL_RETRIES (default 3): retries on 429/502/503/504 and connection errors. */
  modelRetries: number;
  /** REDIS_URL: use Redis for the key-value store (dedupe, rate limits) instead of process memory. */
  redisUrl?: string;
  outputFilter: {
    /** OUTPUT_FILTER (default on). */
    enabled: boolean;
    /** OUTPUT_FILTER_WORDS: comma-separated list that replaces the built-in one. */
    words?: string[];
  };
  generation: GenerationSettings;
}

/** How every function samples: spread into a CompletionRequest beside the prompt. */
export interface GenerationSettings {
  /** MAX_TOKENS (default 60): new tokens per reply. */
  maxTokens: number;
  /** TEMPERATURE (default 0.9). */
  temperature: number;
  /** TOP_P (default 0.95). */
  topP: number;
}

export const DEFAULT_MODEL_ENDPOINT = 'http://127.0.0.1:8080';

export function parseSharedConfig(env: Env): SharedConfig {
  return {
    modelEndpoint: readUrl(env, 'MODEL_ENDPOINT', DEFAULT_MODEL_ENDPOINT),
    requestToken: readOptionalString(env, 'REQUEST_TOKEN'),
    modelAudience: readOptionalString(env, 'MODEL_AUDIENCE'),
    modelName: readOptionalString(env, 'MODEL_NAME'),
    modelTimeoutMs: readNumber(env, 'MODEL_TIMEOUT_MS', 30_000, { min: 100, max: 3_600_000, integer: true }),
    modelRetries: readNumber(env, 'MODEL_RETRIES', 3, { min: 0, max: 10, integer: true }),
    redisUrl: readOptionalUrl(env, 'REDIS_URL'),
    outputFilter: {
      enabled: readBoolean(env, 'OUTPUT_FILTER', true),
      words: readList(env, 'OUTPUT_FILTER_WORDS'),
    },
    generation: {
      maxTokens: readNumber(env, 'MAX_TOKENS', 60, { min: 1, max: 1024, integer: true }),
      temperature: readNumber(env, 'TEMPERATURE', 0.9, { min: 0, max: 2 }),
      topP: readNumber(env, 'TOP_P', 0.95, { min: 0.01, max: 1 }),
    },
  };
}
