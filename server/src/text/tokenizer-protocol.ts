/** Messages between tokenizer-thread.ts and tokenizer-worker.ts. */
export interface TokenizerWorkerData {
  modelDir: string;
}

export type ToTokenizerWorker = { id: number; text: string };

export type FromTokenizerWorker =
  | { type: 'ready' }
  | { type: 'load-failed'; message: string }
  | { type: 'encoded'; id: number; ids: Uint32Array }
  | { type: 'failed'; id: number; message: string };
