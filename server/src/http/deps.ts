import type { Context } from 'hono';
import type { Engine } from '../engine/types.js';
import type { CompletionCache, CompletionCacheLimits } from '../service/completion-cache.js';
import type { PromptEncoder } from '../text/prompt-encoder.js';
import type { TokenDecoder } from '../text/tokenizer.js';
import type { CallerAuth } from './auth.js';
import type { ServerMetrics } from './metrics.js';
import type { ServedModels } from './served-models.js';
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

/** One model the app serves. */
export interface AppModel {
  /** The id `/v1/models` lists, `model` selects and responses carry. */
  id: string;
  engine: Engine;
  /** Ids to text; prompts are encoded by `encoder`. */
  tokenizer: TokenDecoder;
  /** Prompt text to ids, off the event loop in the server (text/tokenizer-thread.ts). */
  encoder: PromptEncoder;
  /** What `/v1/models` says about the model besides its id. */
  details?: ModelDetails;
  /** The model's n_positions. */
  contextLength: number;
}

export interface AppOptions {
  /** At least one; listed in this order. */
  models: readonly AppModel[];
  /** The model requests without `model` get (DEFAULT_MODEL); default: the first. */
  defaultModelId?: string;
  /** MODEL_DIR is a folder of models: a `model` that names none of them is a 404 (else every name means the one model). */
  modelMustMatch?: boolean;
  /** The completion cache's bounds; absent: no cache. */
  cache?: CompletionCacheLimits;
  limits: HttpLimits;
  /** REQUEST_TOKEN and API_KEYS: both unset means open (http/auth.ts). */
  auth: { requestToken?: string; apiKeys: readonly string[] };
  /** True from SIGTERM on: new requests get 503, /readyz says not ready. */
  isShuttingDown: () => boolean;
  /** True while the server sends itself its warm-up requests (warm-up.ts): /readyz says not ready yet, everything else serves. */
  isWarmingUp?: () => boolean;
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

export interface RouteDeps extends Omit<AppOptions, 'auth' | 'models' | 'cache'> {
  auth: CallerAuth;
  models: ServedModels;
  cache: CompletionCache<object>;
  metrics: ServerMetrics;
  errors: ErrorContext;
  now: () => number;
}

/** What the routes tell the metrics middleware: the model a request ran on, once it is known. */
export interface AppEnv {
  Variables: { model: string };
}

/** The request's own abort signal (client gone) combined with its deadline. */
export function requestSignal(c: Context, timeoutMs: number): AbortSignal {
  return AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(timeoutMs)]);
}
