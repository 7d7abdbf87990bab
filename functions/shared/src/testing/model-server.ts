/**
 * The real mimicbot inference server on a tiny random GPT-2 (GPT-2's tokenizer, 2 layers, 32 channels,
 * context 128), written with the training package's random-model writer and served on the real
 * onnxruntime on 127.0.0.1 at a free port. What it says is random words, but every byte of the HTTP API
 * (streaming, errors, 429s, auth) is the server's own. The one way the functions' tests start a model server.
 * With `models` it serves a folder of several such models (one per id, each with its own random weights),
 * as one server serves several personas.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, startMimicbotServer } from '@mimicbot/server';
import { writeRandomModel } from '@mimicbot/training';

export interface RunningModelServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The model's context length in tokens: prompt + max_tokens must fit. */
  contextLength: number;
  /** Generations the engine has been asked for so far. */
  completions(): number;
  stop(): Promise<void>;
}

/**
 * `env` is the server's own environment (API_KEYS, QUEUE_SIZE, MAX_BATCH, ...); `seed` that of the random
 * weights; `models` (model id → seed) serves a folder of that many models instead of one.
 */
export async function startTinyModelServer(env: Record<string, string> = {}, options: { seed?: number; models?: Record<string, number> } = {}): Promise<RunningModelServer> {
  const tempDir = await mkdtemp(join(tmpdir(), 'mimicbot-functions-model-'));
  let dir = join(tempDir, 'model'); // writeModelFolder wants a folder that does not exist yet
  let config: Awaited<ReturnType<typeof writeRandomModel>>;
  if (options.models) {
    dir = join(tempDir, 'models');
    await mkdir(dir);
    const written = await Promise.all(Object.entries(options.models).map(([id, seed]) => writeRandomModel(join(dir, id), { seed })));
    config = written[0];
  } else {
    config = await writeRandomModel(dir, { seed: options.seed ?? 3 });
  }
  let generations = 0;
  const server = await startMimicbotServer(parseConfig({ PORT: '0', MODEL_DIR: dir, THREADS: '1', ...env }), {
    host: '127.0.0.1',
    wrapEngine: (engine) => countGenerations(engine, () => generations++),
  });
  return {
    url: server.url,
    contextLength: config.nPositions,
    completions: () => generations,
    async stop() {
      await server.shutdown();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}

/** The engine, unchanged, except that each `generate` call is counted first. */
function countGenerations<E extends object>(engine: E, count: () => void): E {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === 'generate') count();
        return value.apply(target, args);
      };
    },
  });
}
