import { resolve } from 'node:path';
import type { ServerConfig } from './config.js';
import type { OnnxEngine } from './engine/engine.js';
import { createApp } from './http/app.js';
import { listen, type Listening } from './http/listen.js';
import { openModel } from './service/open-model.js';
import { startTokenizerThread, type TokenizerThread } from './text/tokenizer-thread.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  engine: OnnxEngine;
  /** The model card's one line, and why there is none when its card could not be read. */
  description?: string;
  cardProblem?: string;
  /**
   * SIGTERM's work: not ready, new requests 503 and every response `Connection: close`, idle connections
   * closed at once, in-flight requests finished within the grace period, then the model freed.
   */
  shutdown(): Promise<{ cutOff: boolean }>;
}

export interface StartOptions {
  /** Address to bind; Cloud Run and containers need 0.0.0.0, tests use 127.0.0.1. */
  host?: string;
  logError?: (message: string) => void;
  /** Decorates the engine the app sees (tests observe results through it). */
  wrapEngine?: (engine: OnnxEngine) => OnnxEngine;
}

/** The whole server: model, tokenizer thread, engine, app, socket. Used by main.ts and by the integration tests. */
export async function startMimicbotServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '0.0.0.0';
  // The tokenizer thread loads while the engine does; it is closed again if the model cannot be served.
  const starting = startTokenizerThread(resolve(config.modelDir));
  starting.catch(() => {});
  let opened;
  try {
    opened = await openModel(config);
  } catch (error) {
    await starting.then((thread) => thread.close(), () => {});
    throw error;
  }
  const { tokenizer, modelId } = opened;
  const engine = options.wrapEngine ? options.wrapEngine(opened.engine) : opened.engine;
  let encoder: TokenizerThread | undefined;
  let listening: Listening;
  let shuttingDown = false;
  try {
    encoder = await starting;
    const { app, metrics } = createApp({
      engine,
      tokenizer,
      encoder,
      modelId,
      modelDetails: {
        ...(opened.description === undefined ? {} : { description: opened.description }),
        graph: engine.model.graph,
        canScorePrompt: engine.model.canScorePrompt,
      },
      contextLength: engine.model.nPositions,
      limits: config,
      auth: { requestToken: config.requestToken, apiKeys: config.apiKeys },
      isShuttingDown: () => shuttingDown,
      logError: options.logError,
    });
    listening = await listen(app, {
      port: config.port,
      host,
      bodyTimeoutMs: config.bodyTimeoutMs,
      onClientError: (status) => metrics.observeRequest('unparsed', 'unknown', status, 0),
    });
  } catch (error) {
    await encoder?.close();
    await engine.close();
    throw error;
  }
  const thread = encoder;
  const port = listening.port;
  let shutdown: Promise<{ cutOff: boolean }> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    engine,
    ...(opened.description === undefined ? {} : { description: opened.description }),
    ...(opened.cardProblem === undefined ? {} : { cardProblem: opened.cardProblem }),
    shutdown() {
      shutdown ??= (async () => {
        shuttingDown = true;
        const drained = await listening.drain(config.shutdownGraceMs);
        await Promise.all([engine.close(), thread.close()]);
        return drained;
      })();
      return shutdown;
    },
  };
}
