import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GRAPH_DTYPES, type GraphDtype } from '@mimicbot/model-format';
import { DEFAULT_MAX_BATCH, DEFAULT_STREAM_INTERVAL_MS } from './engine/types.js';

/** The embedded model `npm start` serves when MODEL_DIR is not set (see server/default-model/README.md). */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../default-model/', import.meta.url));

/** Everything the server reads from its environment. Nothing else in the server reads `process.env`. */
export interface ServerConfig {
  port: number;
  /** Absolute. A model folder, or a folder of model folders (each subfolder's name is its model id). */
  modelDir: string;
  /** The model requests without `model` get; undefined: the first id in sorted order. */
  defaultModel?: string;
  /** A caller's secret; with API_KEYS, the set every route but /healthz and /readyz accepts (http/auth.ts). */
  requestToken?: string;
  /** More accepted secrets (one per client, so each can be revoked alone). */
  apiKeys: string[];
  maxPromptTokens: number;
  maxNewTokens: number;
  maxBodyBytes: number;
  maxCount: number;
  queueSize: number;
  maxBatch: number;
  /** Most ms a streamed token after a stream's first waits to go out with the next ones (engine/outbox.ts); 0: each step's at once. */
  streamIntervalMs: number;
  requestTimeoutMs: number;
  bodyTimeoutMs: number;
  /** onnxruntime intra-op threads; 0: one per CPU (the engine's default, `os.availableParallelism()`). */
  threads: number;
  /** The precision to serve; undefined: the best the folder offers (q4, then q8, then fp32). */
  modelDtype?: GraphDtype;
  /** Absolute. Where the server graph built for a read-only folder is kept (service/server-graph-cache.ts); unset: such a folder is served as it is. */
  modelCacheDir?: string;
  shutdownGraceMs: number;
  /** The completion cache (service/completion-cache.ts); `cacheMaxEntries` 0 turns it off. */
  cacheTtlMs: number;
  cacheMaxEntries: number;
  cacheMaxBytes: number;
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

/**
 * `cwd` is where relative paths start when npm did not say where the user ran the command: `npm start`
 * runs the server in server/, but sets INIT_CWD to the folder the user typed the command in, and
 * `MODEL_DIR=models/mybot npm start` from the repository root means the root's models/mybot.
 */
export function parseConfig(env: Env, cwd: string = process.cwd()): ServerConfig {
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
  const dtype = (name: string): GraphDtype | undefined => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return undefined;
    if (!(GRAPH_DTYPES as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${GRAPH_DTYPES.join(', ')}, got ${JSON.stringify(raw)}`);
    return raw as GraphDtype;
  };
  const apiKeys = (secret('API_KEYS') ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');

  return {
    // Cloud Run sets PORT.
    port: int('PORT', 8080, 0, 65535),
    modelDir: modelDir(env.MODEL_DIR?.trim(), env.INIT_CWD?.trim() || cwd),
    // With a folder of models: the subfolder name answering requests without `model` (start-up checks it is served).
    defaultModel: env.DEFAULT_MODEL?.trim() || undefined,
    // REQUEST_TOKEN and API_KEYS both unset: every route is open, as gpt-2-cloud-run's server was.
    requestToken: secret('REQUEST_TOKEN'),
    // Comma-separated.
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
    maxBatch: int('MAX_BATCH', DEFAULT_MAX_BATCH, 1),
    // 20 ms: at most 50 updates a second per stream, faster than anyone reads, and one stream decodes ~10%
    // faster on 2 vCPUs than with a message per step (engine/outbox.ts). First tokens are never held.
    streamIntervalMs: int('STREAM_INTERVAL_MS', DEFAULT_STREAM_INTERVAL_MS, 0, 1000),
    // Per request, queueing included; past it the request ends with 504.
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 60_000, 1),
    // From the request's headers to the last byte of its body; past it, 408. 64 KiB in 10 s is 6.4 KB/s,
    // far below any real client, and a stalled upload frees its socket in seconds rather than Node's 300 s.
    bodyTimeoutMs: int('BODY_TIMEOUT_MS', 10_000, 100, 600_000),
    threads: int('THREADS', 0, 0, 256),
    // fp32 | q8 | q4 (`mimicbot quantize` writes q8 and q4). Unset: the fewest bits the folder has; q4 stays
    // within 3% of fp32's perplexity on the models measured and decodes fastest (docs/quantization.md).
    modelDtype: dtype('MODEL_DTYPE'),
    // A folder with only an optimum export or a checkpoint gets the server's own graph built at start-up, kept in
    // the folder, or here when the folder is read-only (e.g. baked into an image: point it at a writable volume).
    ...(env.MODEL_CACHE_DIR?.trim() ? { modelCacheDir: resolvePath(env.MODEL_CACHE_DIR.trim(), env.INIT_CWD?.trim() || cwd) } : {}),
    // Cloud Run sends SIGKILL 10 s after SIGTERM.
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 8_000, 0),
    // Greedy and seeded answers repeat until the model changes, which restarts the process; the TTL only
    // bounds how long a popular prompt's answer occupies memory. An hour, 1024 answers, 16 MiB: a tweet-sized
    // answer with logprobs is ~5 KB, so the entry bound is usually the one reached.
    cacheTtlMs: int('CACHE_TTL_SECONDS', 3600, 1, 7 * 24 * 3600) * 1000,
    // lru-cache allocates its index for all of them at start-up, hence the upper bound.
    cacheMaxEntries: int('CACHE_MAX_ENTRIES', 1024, 0, 100_000),
    cacheMaxBytes: int('CACHE_MAX_BYTES', 16 * 1024 * 1024, 1024),
  };
}

function modelDir(raw: string | undefined, base: string): string {
  if (!raw) return DEFAULT_MODEL_DIR;
  return resolvePath(raw, base);
}

function resolvePath(raw: string, base: string): string {
  return isAbsolute(raw) ? raw : resolve(base, raw);
}
