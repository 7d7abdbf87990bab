/**
 * `createEngine`: the Engine the HTTP layer uses. The model runs in a worker thread (engine-worker.ts);
 * this file starts it and waits for its handshake, and worker-client.ts is the main thread's side of it
 * from then on (the bounded queue, aborts, `onToken`).
 *
 * Worker file: from TypeScript source (tsx, vitest) it is `engine-worker.ts`, started with tsx's loader;
 * from a bundle it is `engine-worker.js` in the same folder as the bundle, so a deployment bundles
 * `server/src/engine/engine-worker.ts` as a second esbuild entry point named `engine-worker`
 * (e.g. `esbuild src/main.ts src/engine/engine-worker.ts --bundle --platform=node --format=esm
 * --outdir=dist --entry-names=[name] --external:onnxruntime-node`).
 */
import { availableParallelism } from 'node:os';
import type { GraphDtype } from '@mimicbot/model-format';
import { startWorker, startWorkerThread } from '../worker-thread.js';
import { ModelLoadError, reviveEngineError } from './errors.js';
import { DEFAULT_MAX_BATCH, DEFAULT_STREAM_INTERVAL_MS, type Engine, type ModelInfo } from './types.js';
import { createWorkerClient } from './worker-client.js';
import type { FromWorker, WorkerOptions } from './worker-protocol.js';

export interface EngineOptions {
  modelDir: string;
  /** onnxruntime intra-op threads; default: the number of CPUs. */
  intraOpNumThreads?: number;
  /** Serve this precision's graph (MODEL_DTYPE); default: the best the folder offers (q4, then q8, then fp32). */
  dtype?: GraphDtype;
  /** Most sequences decoded together (default 16). */
  maxBatchSize?: number;
  /** Most ms a streamed token after a stream's first is held to go out with the next (outbox.ts; default 20). */
  streamIntervalMs?: number;
  /** Most requests waiting for a batch slot before generate() rejects with QueueFullError (default 64). */
  maxQueueSize?: number;
  /** Override where the worker script is (default: engine-worker.ts/.js beside this module). */
  workerUrl?: URL;
}

export interface OnnxEngine extends Engine {
  readonly model: ModelInfo;
}

/**
 * Starts the worker and waits for its handshake: 'ready' with the model it loaded, or 'load-failed' with
 * why. A worker that dies while loading is a load failure too. Then the worker client takes over.
 */
export async function createEngine(options: EngineOptions): Promise<OnnxEngine> {
  const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH;
  const maxQueueSize = options.maxQueueSize ?? 64;
  const workerData: WorkerOptions = {
    modelDir: options.modelDir,
    intraOpNumThreads: options.intraOpNumThreads ?? availableParallelism(),
    dtype: options.dtype,
    maxBatchSize,
    streamIntervalMs: options.streamIntervalMs ?? DEFAULT_STREAM_INTERVAL_MS,
  };
  const worker = options.workerUrl ? startWorker(options.workerUrl, workerData) : startWorkerThread('engine-worker', import.meta.url, workerData);
  const model = await new Promise<ModelInfo>((resolve, reject) => {
    const onMessage = (m: FromWorker) => {
      if (m.type === 'ready') resolve(m.model);
      else if (m.type === 'load-failed') reject(reviveEngineError(m.error));
      if (m.type === 'ready' || m.type === 'load-failed') cleanup();
    };
    const onError = (e: Error) => {
      cleanup();
      reject(new ModelLoadError('MODEL_WORKER_FAILED', `the engine worker failed while loading ${options.modelDir}: ${e.message}`, { cause: e }));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new ModelLoadError('MODEL_WORKER_FAILED', `the engine worker exited (code ${code}) while loading ${options.modelDir}`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  }).catch(async (e) => {
    await worker.terminate();
    throw e;
  });
  // Full when every batch slot is taken and the queue behind them too.
  return { ...createWorkerClient(worker, { maxInFlight: model.maxBatchSize + maxQueueSize }), model };
}
