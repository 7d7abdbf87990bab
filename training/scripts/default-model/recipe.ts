/**
 * The default model's recipe: the shape, the vocabulary size and the schedule, in one place, as the
 * `train` command's flags. The shape keeps two fp32 graphs (model.onnx and server_decoder.onnx) under the
 * folder's 25 MB: at most ~3M parameters.
 *
 * Chosen by pilots at equal wall time (three side by side, one thread each, 15 + 15 minutes on a loaded
 * two-core machine; validation bits per byte, /work/runs/pilots/summary.sh):
 *   vocab 2048, 5 layers x 192 (2.65M)   2.788 at step 200 (the 15-minute mark; dropped then)
 *   vocab 4096, 4 layers x 192 (2.61M)   2.528 at step 300, 2.386 at step 600
 *   vocab 8192, 4 layers x 160 (2.58M)   2.426 at step 300, 2.298 at step 600
 * All three ran at about the same tokens per second, so the larger vocabulary wins by reading more text
 * per step (3.6 bytes a token against 3.25 and 2.86), and a post takes 10% fewer decoding steps. The
 * schedule: 4,500 steps of 8 x 256 tokens, about 12 passes over the 0.77M training tokens (a run of 8,000
 * overfitted, see `steps`).
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
  vocabSize: 8192,
  layers: 4,
  heads: 5,
  embd: 160,
  positions: 256,
  // 8,000 overfitted: validation bottomed near 4,400 (1.979 bits per byte) and rose to 2.00 by 6,000.
  steps: 4500,
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
