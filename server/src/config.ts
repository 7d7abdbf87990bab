import { fileURLToPath } from 'node:url';

/** The embedded model `npm start` serves when MODEL_DIR is not set (see server/default-model/README.md). */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../default-model/', import.meta.url));

/** Everything the server reads from its environment. Nothing else in the server reads `process.env`. */
export interface ServerConfig {
  port: number;
  modelDir: string;
  /** millzbot's `token` field must equal this on `/` when set. */
  requestToken?: string;
  /** `Authorization: Bearer <key>` must be one of these on `/v1` when set. */
  apiKeys: string[];
  maxPromptTokens: number;
  maxNewTokens: number;
  maxBodyBytes: number;
  maxCount: number;
  queueSize: number;
  maxBatch: number;
  requestTimeoutMs: number;
  /** onnxruntime intra-op threads; 0: one per CPU (the engine's default, `os.availableParallelism()`). */
  threads: number;
  shutdownGraceMs: number;
}

/** A bad environment variable; start-up prints the message as one line and exits 1. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function parseConfig(env: Env): ServerConfig {
  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    }
    return Number(raw);
  };
  const secret = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const apiKeys = (secret('API_KEYS') ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');

  return {
    // Cloud Run sets PORT.
    port: int('PORT', 8080, 0, 65535),
    modelDir: env.MODEL_DIR?.trim() || DEFAULT_MODEL_DIR,
    // Unset: `/` is open, as millzbot's server was.
    requestToken: secret('REQUEST_TOKEN'),
    // Comma-separated. Empty: `/v1` is open.
    apiKeys,
    // A tweet is ~70 tokens; 768 leaves room for long prompts and 256 new tokens in GPT-2's 1024 context.
    maxPromptTokens: int('MAX_PROMPT_TOKENS', 768, 1),
    maxNewTokens: int('MAX_NEW_TOKENS', 256, 1),
    // 64 KiB: far more than any prompt within MAX_PROMPT_TOKENS.
    maxBodyBytes: int('MAX_BODY_BYTES', 65536, 256),
    // Most samples one request may ask for (`count` on `/`, prompts x `n` on `/v1`).
    maxCount: int('MAX_COUNT', 16, 1),
    // Sequences waiting for a batch slot; more get 429 + Retry-After.
    queueSize: int('QUEUE_SIZE', 64, 0),
    // Sequences decoded together per step.
    maxBatch: int('MAX_BATCH', 16, 1),
    // Per request, queueing included; past it the request ends with 504.
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 60_000, 1),
    threads: int('THREADS', 0, 0, 256),
    // Cloud Run sends SIGKILL 10 s after SIGTERM.
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 8_000, 0),
  };
}
