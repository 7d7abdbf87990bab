import type { Context } from 'hono';
import type { Engine } from '../engine/types.js';
import type { ServiceDeps } from '../service/completions.js';
import type { PromptEncoder } from '../text/prompt-encoder.js';
import type { TextTokenizer } from '../text/tokenizer.js';
import type { CallerAuth } from './auth.js';
import type { ServerMetrics } from './metrics.js';
import type { ErrorContext } from './to-api-error.js';

export interface HttpLimits {
  maxPromptTokens: number;
  maxNewTokens: number;
  maxBodyBytes: number;
  /** The whole body must arrive within this many milliseconds. */
  bodyTimeoutMs: number;
  /** Most samples per request: `count` on `/`, prompts x `n` on `/v1`. */
  maxCount: number;
  requestTimeoutMs: number;
}

export interface AppOptions {
  engine: Engine;
  tokenizer: TextTokenizer;
  /** Prompt text to ids, off the event loop in the server (text/tokenizer-thread.ts). */
  encoder: PromptEncoder;
  /** The id `/v1/models` lists and responses carry. */
  modelId: string;
  /** What `/v1/models` says about the model besides its id. */
  modelDetails?: ModelDetails;
  /** The model's n_positions. */
  contextLength: number;
  limits: HttpLimits;
  /** REQUEST_TOKEN and API_KEYS: both unset means open (http/auth.ts). */
  auth: { requestToken?: string; apiKeys: readonly string[] };
  /** True from SIGTERM on: new requests get 503, /readyz says not ready. */
  isShuttingDown: () => boolean;
  /** Where unexpected errors are reported (never with request bodies or secrets). */
  logError?: (message: string) => void;
  /** Unix milliseconds, for `created` fields. */
  now?: () => number;
}

export interface ModelDetails {
  /** The model card's one line. */
  description?: string;
  /** The graph served: its file in the model folder and the precision of its weights (fp32, q8, q4). */
  graph: { file: string; dtype: string };
  /** Whether `echo` with `logprobs` can score a prompt (server graphs exported before `logits_positions` cannot). */
  canScorePrompt: boolean;
}

export interface RouteDeps extends Omit<AppOptions, 'auth'> {
  auth: CallerAuth;
  service: ServiceDeps;
  metrics: ServerMetrics;
  errors: ErrorContext;
  now: () => number;
}

/** The request's own abort signal (client gone) combined with its deadline. */
export function requestSignal(c: Context, timeoutMs: number): AbortSignal {
  return AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(timeoutMs)]);
}
