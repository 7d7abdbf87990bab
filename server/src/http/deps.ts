import type { Context } from 'hono';
import type { Engine } from '../engine/types.js';
import type { ServiceDeps } from '../service/completions.js';
import type { TextTokenizer } from '../text/tokenizer.js';
import type { ServerMetrics } from './metrics.js';

export interface HttpLimits {
  maxPromptTokens: number;
  maxNewTokens: number;
  maxBodyBytes: number;
  /** Most samples per request: `count` on `/`, prompts x `n` on `/v1`. */
  maxCount: number;
  requestTimeoutMs: number;
}

export interface AppOptions {
  engine: Engine;
  tokenizer: TextTokenizer;
  /** The id `/v1/models` lists and responses carry. */
  modelId: string;
  /** The model's n_positions. */
  contextLength: number;
  limits: HttpLimits;
  /** REQUEST_TOKEN for `/` and API_KEYS for `/v1`; unset/empty means open. */
  auth: { requestToken?: string; apiKeys: readonly string[] };
  /** True once the model is loaded and warmed, false again while shutting down. */
  isReady: () => boolean;
  /** Where unexpected errors are reported (never with request bodies or secrets). */
  logError?: (message: string) => void;
  /** Unix milliseconds, for `created` fields. */
  now?: () => number;
}

export interface RouteDeps extends AppOptions {
  service: ServiceDeps;
  metrics: ServerMetrics;
  now: () => number;
}

/** The request's own abort signal (client gone) combined with its deadline. */
export function requestSignal(c: Context, timeoutMs: number): AbortSignal {
  return AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(timeoutMs)]);
}
