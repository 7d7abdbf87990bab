/**
 * The settings every function shares: where the model server is and how to reach it, the key-value store,
 * the output filter and generation defaults. Each function's own config.ts calls readSharedConfig(read) with
 * its reader, so one start-up lists the problems of both at once.
 */
import { envReader, type Env, type EnvReader } from './config-reader.js';

export interface SharedConfig {
  /** MODEL_ENDPOINT (required): the inference server's base URL, e.g. http://localhost:8080. */
  modelEndpoint: string;
  /**
   * REQUEST_TOKEN: the secret the server accepts (its REQUEST_TOKEN or one of its API_KEYS), sent as
   * `Authorization: Bearer`. May be set together with MODEL_AUDIENCE (see auth.ts).
   */
  requestToken?: string;
  /** MODEL_AUDIENCE: when set, also send a Google-signed ID token for this audience (private Cloud Run). */
  modelAudience?: string;
  /** MODEL_NAME: the `model` field; unset lets the server use the one it serves. */
  modelName?: string;
  /** MODEL_TIMEOUT_MS (default 30000): per attempt. */
  modelTimeoutMs: number;
  /** MODEL_RETRIES (default 3): retries on 429/502/503/504 and connection errors. */
  modelRetries: number;
  /** Where state that instances share lives (dedupe leases, rate limits, cursors). */
  store: StoreConfig;
  outputFilter: {
    /** OUTPUT_FILTER (default on). */
    enabled: boolean;
    /** OUTPUT_FILTER_WORDS: comma-separated list that replaces the built-in one. */
    words?: string[];
  };
  generation: GenerationSettings;
}

/** REDIS_URL set: Redis (instances agree); unset: this process's memory (one instance). */
export type StoreConfig = { kind: 'memory' } | { kind: 'redis'; url: string };

/** How every function samples: spread into a CompletionRequest beside the prompt. */
export interface GenerationSettings {
  /** MAX_TOKENS (default 60): new tokens per reply. */
  maxTokens: number;
  /** TEMPERATURE (default 0.9). */
  temperature: number;
  /** TOP_P (default 0.95). */
  topP: number;
}

export function readSharedConfig(read: EnvReader): SharedConfig {
  return {
    modelEndpoint: read.requiredUrl('MODEL_ENDPOINT', {
      schemes: ['http', 'https'],
      hint: "the model server's URL, e.g. http://localhost:8080; npm run dev sets it",
    }),
    requestToken: read.string('REQUEST_TOKEN'),
    modelAudience: read.string('MODEL_AUDIENCE'),
    modelName: read.string('MODEL_NAME'),
    modelTimeoutMs: read.number('MODEL_TIMEOUT_MS', 30_000, { min: 100, max: 3_600_000, integer: true }),
    modelRetries: read.number('MODEL_RETRIES', 3, { min: 0, max: 10, integer: true }),
    store: readStoreConfig(read),
    outputFilter: {
      enabled: read.boolean('OUTPUT_FILTER', true),
      words: read.list('OUTPUT_FILTER_WORDS'),
    },
    generation: {
      maxTokens: read.number('MAX_TOKENS', 60, { min: 1, max: 1024, integer: true }),
      temperature: read.number('TEMPERATURE', 0.9, { min: 0, max: 2 }),
      topP: read.number('TOP_P', 0.95, { min: 0.01, max: 1 }),
    },
  };
}

function readStoreConfig(read: EnvReader): StoreConfig {
  const redisUrl = read.url('REDIS_URL', { schemes: ['redis', 'rediss'] });
  return redisUrl ? { kind: 'redis', url: redisUrl } : { kind: 'memory' };
}

/** The shared settings alone, or a ConfigError naming every problem. */
export function parseSharedConfig(env: Env): SharedConfig {
  const read = envReader(env);
  return read.done(readSharedConfig(read));
}
