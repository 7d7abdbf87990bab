/**
 * The main thread's side of a running engine worker: it numbers requests and forwards them and their
 * aborts, calls each request's `onToken` as tokens arrive, and settles each request exactly once (done,
 * failed, or failed because the worker is gone). It keeps the bound on requests in flight.
 */
import type { Worker } from 'node:worker_threads';
import { EngineClosedError, QueueFullError, reviveEngineError } from './errors.js';
import type { Engine, EngineStats, TokenRequest, TokenResult } from './types.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

export interface WorkerClientOptions {
  /** Most requests in flight (running and queued) before generate() rejects with QueueFullError. */
  maxInFlight: number;
}

interface Pending {
  request: TokenRequest;
  started: boolean;
  resolve: (r: TokenResult) => void;
  reject: (e: unknown) => void;
  detach: () => void;
}

/** `worker` must have sent 'ready': from here on this client owns its messages and its end. */
export function createWorkerClient(worker: Worker, options: WorkerClientOptions): Engine {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;
  let crashed: Error | null = null;
  let onClosed: (() => void) | null = null;

  const post = (message: ToWorker) => worker.postMessage(message);

  const settle = (id: number, outcome: { result: TokenResult } | { error: unknown }) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    p.detach();
    if ('result' in outcome) p.resolve(outcome.result);
    else p.reject(outcome.error);
  };

  const receive = (m: FromWorker): void => {
    switch (m.type) {
      case 'many':
        for (const one of m.messages) receive(one);
        break;
      case 'started': {
        const p = pending.get(m.id);
        if (p) p.started = true;
        break;
      }
      case 'prompt-scored':
      case 'token': {
        const p = pending.get(m.id);
        if (!p) break;
        try {
          if (m.type === 'token') p.request.onToken?.(m.token, m.logprob);
          else p.request.onPromptScored?.(m.scores);
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
  };
  worker.on('message', receive);
  const fail = (error: Error) => {
    crashed = error;
    for (const id of [...pending.keys()]) settle(id, { error });
    onClosed?.();
  };
  worker.on('error', (e) => fail(new Error(`the engine worker crashed: ${e.message}`, { cause: e })));
  worker.on('exit', (code) => {
    if (!closed) fail(new Error(`the engine worker exited unexpectedly (code ${code})`));
  });

  function stats(): EngineStats {
    let running = 0;
    for (const p of pending.values()) if (p.started) running++;
    return { queueDepth: pending.size - running, activeSequences: running };
  }

  return {
    stats,
    generate(request: TokenRequest): Promise<TokenResult> {
      if (closed) return Promise.reject(new EngineClosedError());
      if (crashed) return Promise.reject(crashed);
      if (request.signal?.aborted) return Promise.resolve({ tokenIds: [], finishReason: 'aborted' });
      if (pending.size >= options.maxInFlight) return Promise.reject(new QueueFullError(stats().queueDepth));
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
            ...(request.logprobs === undefined ? {} : { logprobs: request.logprobs }),
            ...(request.scorePrompt ? { scorePrompt: true } : {}),
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
