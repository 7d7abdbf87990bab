/**
 * The default model's recipe: the shape, the vocabulary size and the schedule, in one place, as the
 * `train` command's flags. The shape keeps two fp32 graphs (model.onnx and server_decoder.onnx) under the
 * folder's 25 MB: at most ~3M parameters.
 */
export interface Recipe {
  vocabSize: number;
  layers: number;
  heads: number;
  embd: number;
  positions: number;
  steps: number;
  batch: number;
  seq: number;
  lr: number;
  minLr: number;
  warmup: number;
  weightDecay: number;
  seed: number;
}

export const DEFAULT_RECIPE: Recipe = {
  vocabSize: 4096,
  layers: 4,
  heads: 6,
  embd: 192,
  positions: 256,
  steps: 30000,
  batch: 8,
  seq: 256,
  lr: 2e-3,
  minLr: 1e-4,
  warmup: 200,
  weightDecay: 0.1,
  seed: 1,
};

export interface RunPaths {
  data: string;
  run: string;
  tokenizerDir: string;
  resume: boolean;
  threads: string;
}

export function recipeTrainArgs(r: Recipe, p: RunPaths): string[] {
  return [
    '--data', p.data, '--out', p.run, ...(p.resume ? ['--resume'] : ['--tokenizer', p.tokenizerDir]),
    '--layers', String(r.layers), '--heads', String(r.heads), '--embd', String(r.embd), '--positions', String(r.positions),
    '--steps', String(r.steps), '--batch', String(r.batch), '--seq', String(r.seq),
    '--lr', String(r.lr), '--min-lr', String(r.minLr), '--warmup', String(r.warmup), '--weight-decay', String(r.weightDecay), '--grad-clip', '1',
    '--seed', String(r.seed), '--eval-every', '100', '--eval-batches', '1000', '--checkpoint-every', '100',
    '--threads', p.threads, '--samples', '5', '--sample-tokens', '80',
  ];
}

/** Parameters of a GPT-2 of this shape (tied LM head), for the size budget. */
export function parameterCount(r: Pick<Recipe, 'vocabSize' | 'layers' | 'embd' | 'positions'>): number {
  const C = r.embd;
  const block = 2 * 2 * C + (C * 3 * C + 3 * C) + (C * C + C) + (C * 4 * C + 4 * C) + (4 * C * C + C);
  return r.vocabSize * C + r.positions * C + r.layers * block + 2 * C;
}
