/**
 * The served model's one-line description (its card's `description:`, as `/v1/models` gives it), for the
 * page's subtitle and meta description. Fetched on first use and kept for `ttlMs`; a failed or slow fetch
 * (the page must not wait on a cold model server) gives no description, and is retried after `retryMs`.
 */
import type { Log, ServedModel } from '@mimicbot/functions-shared';

export interface ModelDescriptionOptions {
  models: (signal: AbortSignal) => Promise<ServedModel[]>;
  /** MODEL_NAME when set: the model asked for; the first one listed otherwise. */
  modelName?: string;
  ttlMs?: number;
  retryMs?: number;
  /** How long a page waits for the answer before it is served without it. */
  timeoutMs?: number;
  now?: () => number;
  log?: Log;
}

export type ModelDescription = () => Promise<string | undefined>;

export function createModelDescription(options: ModelDescriptionOptions): ModelDescription {
  const { ttlMs = 10 * 60_000, retryMs = 30_000, timeoutMs = 2_000, now = Date.now } = options;
  let cached: { value: string | undefined; until: number } | undefined;
  let inFlight: Promise<string | undefined> | undefined;

  async function fetchDescription(): Promise<string | undefined> {
    try {
      const models = await options.models(AbortSignal.timeout(timeoutMs));
      const model = (options.modelName && models.find((m) => m.id === options.modelName)) || models[0];
      cached = { value: model?.description, until: now() + ttlMs };
    } catch (error) {
      options.log?.('model_description_failed', { error: (error as Error).message });
      cached = { value: undefined, until: now() + retryMs };
    }
    return cached.value;
  }

  return async function modelDescription() {
    if (cached && now() < cached.until) return cached.value;
    inFlight ??= fetchDescription().finally(() => (inFlight = undefined));
    return inFlight;
  };
}
