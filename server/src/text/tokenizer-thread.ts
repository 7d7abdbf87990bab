import type { Worker } from 'node:worker_threads';
import { startWorkerThread } from '../worker-thread.js';
import type { PromptEncoder } from './prompt-encoder.js';
import type { FromTokenizerWorker, ToTokenizerWorker, TokenizerWorkerData } from './tokenizer-protocol.js';

export interface TokenizerThread extends PromptEncoder {
  close(): Promise<void>;
}

/** A worker stopped on its own (crash, out of memory): the encodes it held fail, the next one starts a new worker. */
export class TokenizerThreadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenizerThreadError';
  }
}

interface Pending {
  resolve: (ids: number[]) => void;
  reject: (error: Error) => void;
}

/** Starts tokenizer-worker.ts (or .js beside a bundle) for `modelDir`. */
export function spawnTokenizerWorker(modelDir: string): Worker {
  return startWorkerThread('tokenizer-worker', import.meta.url, { modelDir } satisfies TokenizerWorkerData);
}

/**
 * Encodes prompts on a worker thread, so a long prompt never holds up the event loop (health checks,
 * streams in flight). The worker loads the tokenizer from `modelDir` itself; requests are answered in order.
 * `spawn` is the seam a test uses to see (and stop) the workers.
 */
export async function startTokenizerThread(modelDir: string, spawnWorker = spawnTokenizerWorker): Promise<TokenizerThread> {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;
  let current: Promise<Worker> | undefined;

  const spawn = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = spawnWorker(modelDir);
      let ready = false;
      worker.on('message', (message: FromTokenizerWorker) => {
        if (message.type === 'ready') {
          ready = true;
          resolve(worker);
        } else if (message.type === 'load-failed') {
          reject(new TokenizerThreadError(`the tokenizer thread cannot load ${modelDir}: ${message.message}`));
          void worker.terminate();
        } else {
          const request = pending.get(message.id);
          pending.delete(message.id);
          if (message.type === 'encoded') request?.resolve(Array.from(message.ids));
          else request?.reject(new TokenizerThreadError(`the tokenizer failed: ${message.message}`));
        }
      });
      const stopped = (why: string) => {
        current = undefined;
        const error = new TokenizerThreadError(`the tokenizer thread stopped: ${why}`);
        if (!ready) reject(error);
        for (const request of pending.values()) request.reject(error);
        pending.clear();
      };
      worker.on('error', (error) => stopped(error.message));
      worker.on('exit', (code) => stopped(closed ? 'closed' : `exit code ${code}`));
    });

  current = spawn();
  await current;
  return {
    async encode(text) {
      if (closed) throw new TokenizerThreadError('the tokenizer thread is closed');
      current ??= spawn();
      const worker = await current;
      const id = nextId++;
      return new Promise<number[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, text } satisfies ToTokenizerWorker);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      const worker = await current?.catch(() => undefined);
      await worker?.terminate();
    },
  };
}
