/** The messages between the engine (main thread) and the engine worker. */
import type { GraphDtype } from '@mimicbot/model-format';
import type { SerializedError } from './errors.js';
import type { PlainTokenRequest } from './scheduler.js';
import type { ModelInfo, TokenLogprob, TokenResult } from './types.js';

export interface WorkerOptions {
  modelDir: string;
  intraOpNumThreads?: number;
  /** MODEL_DTYPE; undefined: the best graph the folder offers. */
  dtype?: GraphDtype;
  maxBatchSize: number;
  /** outbox.ts's interval. */
  streamIntervalMs: number;
}

export type ToWorker =
  | { type: 'generate'; id: number; request: PlainTokenRequest }
  | { type: 'abort'; id: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; model: ModelInfo }
  | { type: 'load-failed'; error: SerializedError }
  | { type: 'started'; id: number }
  | { type: 'prompt-scored'; id: number; scores: TokenLogprob[] }
  | { type: 'token'; id: number; token: number; logprob?: TokenLogprob }
  | { type: 'done'; id: number; result: TokenResult }
  | { type: 'failed'; id: number; error: SerializedError }
  | { type: 'closed' }
  /** Several of the above, in order: what one step (or one tick) of the worker said, in one message. */
  | { type: 'many'; messages: FromWorker[] };
