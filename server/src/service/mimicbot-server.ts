import type { ServerConfig } from '../config.js';
import type { OnnxEngine } from '../engine/engine.js';
import { createApp } from '../http/app.js';
import { listen } from '../http/listen.js';
import { openModel } from './open-model.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  engine: OnnxEngine;
  /** SIGTERM's work: not ready, stop accepting, finish in-flight within the grace period, free the model. */
  shutdown(): Promise<{ cutOff: boolean }>;
}

export interface StartOptions {
  /** Address to bind; Cloud Run and containers need 0.0.0.0, tests use 127.0.0.1. */
  host?: string;
  logError?: (message: string) => void;
  /** Decorates the engine the app sees (tests observe results through it). */
  wrapEngine?: (engine: OnnxEngine) => OnnxEngine;
}

/** The whole server: model, engine, app, socket. Used by main.ts and by the integration tests. */
export async function startMimicbotServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '0.0.0.0';
  const opened = await openModel(config);
  const { tokenizer, modelId } = opened;
  const engine = options.wrapEngine ? options.wrapEngine(opened.engine) : opened.engine;
  let ready = true;
  const { app } = createApp({
    engine,
    tokenizer,
    modelId,
    contextLength: engine.model.nPositions,
    limits: config,
    auth: { requestToken: config.requestToken, apiKeys: config.apiKeys },
    isReady: () => ready,
    logError: options.logError,
  });
  let listening;
  try {
    listening = await listen(app, config.port, host);
  } catch (error) {
    await engine.close();
    throw error;
  }
  const port = listening.port;
  let shutdown: Promise<{ cutOff: boolean }> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    engine,
    shutdown() {
      shutdown ??= (async () => {
        ready = false;
        const drained = await listening.drain(config.shutdownGraceMs);
        await engine.close();
        return drained;
      })();
      return shutdown;
    },
  };
}
