/**
 * The real mimicbot inference server for the function tests: a tiny random GPT-2 (2 layers, 32 channels,
 * GPT-2's real tokenizer) written to a temp folder by the server's own random-model writer, served on the
 * real onnxruntime at a free port on 127.0.0.1. Generations are counted through the server's engine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, startMimicbotServer } from '@mimicbot/server';
import { writeRandomModel } from '../../../server/scripts/random-model.js';

export interface ModelServer {
  url: string;
  /** Generations the engine has been asked for so far. */
  completions(): number;
  stop(): Promise<void>;
}

export async function startModelServer(): Promise<ModelServer> {
  const parent = await mkdtemp(join(tmpdir(), 'mimicbot-fn-model-'));
  const dir = join(parent, 'model');
  await writeRandomModel(dir, { seed: 7 });
  let generations = 0;
  const server = await startMimicbotServer(parseConfig({ PORT: '0', MODEL_DIR: dir }), {
    host: '127.0.0.1',
    wrapEngine: (engine) =>
      new Proxy(engine, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (property === 'generate') generations++;
            return value.apply(target, args);
          };
        },
      }),
  });
  return {
    url: server.url,
    completions: () => generations,
    stop: async () => {
      await server.shutdown();
      await rm(parent, { recursive: true, force: true });
    },
  };
}
