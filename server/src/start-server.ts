import type { ServerConfig } from './config.js';
import type { OnnxEngine } from './engine/engine.js';
import { createApp } from './http/app.js';
import { listen, type Listening } from './http/listen.js';
import { closeModels, openModels, type ServingModel } from './service/open-models.js';
import { warmUpOverHttp } from './warm-up.js';

/** One model as the running server serves it. */
export interface RunningModel {
  /** The folder's name: what `model` selects. */
  id: string;
  engine: OnnxEngine;
  /** The model card's one line, and why there is none when its card could not be read. */
  description?: string;
  cardProblem?: string;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  /** Every model served, sorted by id. */
  models: RunningModel[];
  /** The default model's (requests without `model`); with one model, the model. */
  engine: OnnxEngine;
  description?: string;
  cardProblem?: string;
  /**
   * SIGTERM's work: not ready, new requests 503 and every response `Connection: close`, idle connections
   * closed at once, in-flight requests finished within the grace period, then the models freed.
   */
  shutdown(): Promise<{ cutOff: boolean }>;
}

export interface StartOptions {
  /** Address to bind; Cloud Run and containers need 0.0.0.0, tests use 127.0.0.1. */
  host?: string;
  logError?: (message: string) => void;
  /** Decorates each model's engine as the app sees it (tests observe results through it). */
  wrapEngine?: (engine: OnnxEngine, modelId: string) => OnnxEngine;
  /**
   * Send the server's own warm-up requests through its socket before returning (warm-up.ts), /readyz 503
   * meanwhile. main.ts and the bench do; tests that count requests leave it off.
   */
  warmUp?: boolean;
}

/** The whole server: models, tokenizer threads, engines, app, socket. Used by main.ts and by the integration tests. */
export async function startMimicbotServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '0.0.0.0';
  const { models: opened, isFolderOfModels } = await openModels(config);
  const served: (ServingModel & { wrapped: OnnxEngine })[] = opened.map((m) => ({ ...m, wrapped: options.wrapEngine ? options.wrapEngine(m.engine, m.modelId) : m.engine }));
  const close = () => closeModels(served.map((m) => ({ engine: m.wrapped, encoder: m.encoder })));
  let listening: Listening;
  let shuttingDown = false;
  let warmingUp = options.warmUp === true;
  try {
    const { app, metrics } = createApp({
      models: served.map((m) => ({
        id: m.modelId,
        engine: m.wrapped,
        tokenizer: m.tokenizer,
        encoder: m.encoder,
        details: {
          ...(m.description === undefined ? {} : { description: m.description }),
          graph: m.wrapped.model.graph,
          canScorePrompt: m.wrapped.model.canScorePrompt,
        },
        contextLength: m.wrapped.model.nPositions,
      })),
      ...(config.defaultModel === undefined ? {} : { defaultModelId: config.defaultModel }),
      modelMustMatch: isFolderOfModels,
      cache: { ttlMs: config.cacheTtlMs, maxEntries: config.cacheMaxEntries, maxBytes: config.cacheMaxBytes },
      limits: config,
      auth: { requestToken: config.requestToken, apiKeys: config.apiKeys },
      isShuttingDown: () => shuttingDown,
      isWarmingUp: () => warmingUp,
      logError: options.logError,
    });
    listening = await listen(app, {
      port: config.port,
      host,
      bodyTimeoutMs: config.bodyTimeoutMs,
      onClientError: (status) => metrics.observeRequest('unparsed', '', 'unknown', status, 0),
    });
  } catch (error) {
    await close();
    throw error;
  }
  const port = listening.port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  if (warmingUp) {
    const problems = await warmUpOverHttp({
      url,
      modelIds: served.map((m) => m.modelId),
      secret: config.apiKeys[0] ?? config.requestToken,
      maxNewTokens: config.maxNewTokens,
    });
    // Not fatal: the model loaded and answered the engine's own warm-up; a refused request here is worth a line.
    for (const line of problems) options.logError?.(line);
    warmingUp = false;
  }
  const models = served.map(
    (m): RunningModel => ({
      id: m.modelId,
      engine: m.wrapped,
      ...(m.description === undefined ? {} : { description: m.description }),
      ...(m.cardProblem === undefined ? {} : { cardProblem: m.cardProblem }),
    }),
  );
  const fallback = models.find((m) => m.id === config.defaultModel) ?? models[0];
  let shutdown: Promise<{ cutOff: boolean }> | undefined;
  return {
    url,
    port,
    models,
    engine: fallback.engine,
    ...(fallback.description === undefined ? {} : { description: fallback.description }),
    ...(fallback.cardProblem === undefined ? {} : { cardProblem: fallback.cardProblem }),
    shutdown() {
      shutdown ??= (async () => {
        shuttingDown = true;
        const drained = await listening.drain(config.shutdownGraceMs);
        await close();
        return drained;
      })();
      return shutdown;
    },
  };
}
