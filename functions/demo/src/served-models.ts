/**
 * What the model server serves (`/v1/models`: each model's id and its card's one-line description), for
 * the page's personas and for checking MODEL_NAMES. Fetched on first use and kept for `ttlMs`; a failed or
 * slow fetch (the page must not wait on a cold model server) gives undefined, and is retried after `retryMs`.
 */
import type { Log, ServedModel } from '@mimicbot/functions-shared';

export interface ServedModelsOptions {
  models: (signal: AbortSignal) => Promise<ServedModel[]>;
  ttlMs?: number;
  retryMs?: number;
  /** How long a page waits for the answer before it is served without it. */
  timeoutMs?: number;
  now?: () => number;
  log?: Log;
}

/** The server's models, or undefined while it cannot be asked. */
export type ServedModels = () => Promise<ServedModel[] | undefined>;

export function createServedModels(options: ServedModelsOptions): ServedModels {
  const { ttlMs = 10 * 60_000, retryMs = 30_000, timeoutMs = 2_000, now = Date.now } = options;
  let cached: { value: ServedModel[] | undefined; until: number } | undefined;
  let inFlight: Promise<ServedModel[] | undefined> | undefined;

  async function fetchModels(): Promise<ServedModel[] | undefined> {
    try {
      cached = { value: await options.models(AbortSignal.timeout(timeoutMs)), until: now() + ttlMs };
    } catch (error) {
      options.log?.('served_models_failed', { error: (error as Error).message });
      cached = { value: undefined, until: now() + retryMs };
    }
    return cached.value;
  }

  return async function servedModels() {
    if (cached && now() < cached.until) return cached.value;
    inFlight ??= fetchModels().finally(() => (inFlight = undefined));
    return inFlight;
  };
}
