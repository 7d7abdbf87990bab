/**
 * `createEngine`: the Engine the HTTP layer uses. The model runs in a worker thread (engine-worker.ts);
 * this side keeps the bounded queue, forwards aborts, and calls `onToken` as tokens arrive.
 *
 * Worker file: from TypeScript source (tsx, vitest) it is `engine-worker.ts`, started with tsx's loader;
 * from a bundle it is `engine-worker.js` in the same folder as the bundle, so a deployment bundles
 * `server/src/engine/engine-worker.ts` as a second esbuild entry point named `engine-worker`
 * (e.g. `esbuild src/main.ts src/engine/engine-worker.ts --bundle --platform=node --format=esm
 * --outdir=dist --entry-names=[name] --external:onnxruntime-node`).
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EngineClosedError, ModelLoadError, QueueFullError, reviveEngineError } from './errors.js';
import type { FromWorker, ToWorker, WorkerOptions } from './worker-protocol.js';
import type { Engine, EngineStats, ModelInfo, TokenRequest, TokenResult } from './types.js';

export interface EngineOptions {
  modelDir: string;
  /** onnxruntime intra-op threads; default: the number of CPUs. */
  intraOpNumThreads?: number;
  /** Most sequences decoded together (default 16). */
  maxBatchSize?: number;
  /** Most requests waiting for a batch slot before generate() rejects with QueueFullError (default 64). */
  maxQueueSize?: number;
  /** Override where the worker script is (default: engine-worker.ts/.js beside this module). */
  workerUrl?: URL;
}

export interface OnnxEngine extends Engine {
  readonly model: ModelInfo;
}

interface Pending {
  request: TokenRequest;
  started: boolean;
  resolve: (r: TokenResult) => void;
  reject: (e: unknown) => void;
  detach: () => void;
}

export async function createEngine(options: EngineOptions): Promise<OnnxEngine> {
  const maxBatchSize = options.maxBatchSize ?? 16;
  const maxQueueSize = options.maxQueueSize ?? 64;
  const workerOptions: WorkerOptions = {
    modelDir: options.modelDir,
    intraOpNumThreads: options.intraOpNumThreads ?? availableParallelism(),
    maxBatchSize,
  };
  const worker = startWorker(options.workerUrl, workerOptions);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;
  let crashed: Error | null = null;
  let onClosed: (() => void) | null = null;

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

  const settle = (id: number, outcome: { result: TokenResult } | { error: unknown }) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    p.detach();
    if ('result' in outcome) p.resolve(outcome.result);
    else p.reject(outcome.error);
  };

  worker.on('message', (m: FromWorker) => {
    switch (m.type) {
      case 'started': {
        const p = pending.get(m.id);
        if (p) p.started = true;
        break;
      }
      case 'token': {
        const p = pending.get(m.id);
        if (!p) break;
        try {
          p.request.onToken?.(m.token);
        } catch (error) {
          // A throwing consumer ends its own request only.
          post({ type: 'abort', id: m.id });
          settle(m.id, { error });
        }
        break;
      }
      case 'done':
        settle(m.id, { result: m.result });
        break;
      case 'failed':
        settle(m.id, { error: reviveEngineError(m.error) });
        break;
      case 'closed':
        onClosed?.();
        break;
    }
  });
  const fail = (error: Error) => {
    crashed = error;
    for (const id of [...pending.keys()]) settle(id, { error });
    onClosed?.();
  };
  worker.on('error', (e) => fail(new Error(`the engine worker crashed: ${e.message}`, { cause: e })));
  worker.on('exit', (code) => {
    if (!closed) fail(new Error(`the engine worker exited unexpectedly (code ${code})`));
  });

  function post(message: ToWorker): void {
    worker.postMessage(message);
  }

  function stats(): EngineStats {
    let running = 0;
    for (const p of pending.values()) if (p.started) running++;
    return { queueDepth: pending.size - running, activeSequences: running };
  }

  return {
    model,
    stats,
    generate(request: TokenRequest): Promise<TokenResult> {
      if (closed) return Promise.reject(new EngineClosedError());
      if (crashed) return Promise.reject(crashed);
      if (request.signal?.aborted) return Promise.resolve({ tokenIds: [], finishReason: 'aborted' });
      // Full when every batch slot is taken and the queue behind them too.
      if (pending.size >= model.maxBatchSize + maxQueueSize) return Promise.reject(new QueueFullError(stats().queueDepth));
      const id = nextId++;
      return new Promise<TokenResult>((resolve, reject) => {
        const onAbort = () => post({ type: 'abort', id });
        request.signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, {
          request,
          started: false,
          resolve,
          reject,
          detach: () => request.signal?.removeEventListener('abort', onAbort),
        });
        post({
          type: 'generate',
          id,
          request: {
            promptIds: [...request.promptIds],
            maxNewTokens: request.maxNewTokens,
            sampling: { ...request.sampling },
            stopTokenIds: [...request.stopTokenIds],
          },
        });
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (!crashed) {
        await new Promise<void>((resolve) => {
          onClosed = resolve;
          post({ type: 'close' });
        });
      }
      await worker.terminate();
    },
  };
}

function startWorker(workerUrl: URL | undefined, workerData: WorkerOptions): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = workerUrl ?? new URL(fromSource ? './engine-worker.ts' : './engine-worker.js', import.meta.url);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
  // From source the worker is TypeScript. Node 20 ignores `--import tsx` in a worker's execArgv, so a
  // two-line ESM bootstrap registers tsx's loader inside the worker, then imports the real entry.
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), { workerData });
}
