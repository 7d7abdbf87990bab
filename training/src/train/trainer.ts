/**
 * The training loop: for each step, a batch, loss and gradients from the ONNX graph, global-norm
 * clipping, the scheduled learning rate and an AdamW update (WebAssembly SIMD); every `evalEvery` steps the validation
 * loss; every `checkpointEvery` steps (and at the end) a checkpoint through the hook. Batches are drawn
 * from a generator seeded by (seed, step), so a resumed run sees the batches the uninterrupted run would.
 */
import type { Gpt2Config, Gpt2Weights } from '../model/gpt2-config.js';
import { SeededRandom, seedFor } from '../model/random.js';
import { DEFAULT_ADAMW, type AdamWOptions, type AdamWState } from './adamw.js';
import { adoptWasmAdamW } from './adamw-wasm.js';
import { packedBatch, paddedBatch, sequentialBatches } from './batches.js';
import { clipScale } from './grad-clip.js';
import { learningRateAt, type LrSchedule } from './lr-schedule.js';
import type { TokenCorpus } from './token-corpus.js';
import { TrainingSession, type TokenBatch } from './training-session.js';

export type Batching = 'packed' | 'padded';

export interface TrainOptions {
  /** Total steps of the run (a resumed run continues up to this). */
  steps: number;
  batchSize: number; // B
  seqLen: number; // T
  schedule: Omit<LrSchedule, 'totalSteps'>;
  adamw: AdamWOptions;
  /** Global gradient norm cap; 0 turns clipping off. */
  gradClip: number;
  batching: Batching;
  seed: number;
  evalEvery: number;
  /** At most this many validation batches per evaluation (validation text beyond is not read). */
  evalBatches: number;
  checkpointEvery: number;
  threads?: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  steps: 1000,
  batchSize: 8,
  seqLen: 128,
  schedule: { maxLr: 6e-4, minLr: 6e-5, warmupSteps: 50 },
  adamw: DEFAULT_ADAMW,
  gradClip: 1,
  batching: 'packed',
  seed: 1,
  evalEvery: 100,
  evalBatches: 20,
  checkpointEvery: 200,
};

export interface LossPoint {
  step: number;
  loss: number;
}

/** What a checkpoint holds besides the weights' files: enough to resume exactly. */
export interface TrainerState {
  config: Gpt2Config;
  weights: Gpt2Weights;
  optimizer: AdamWState;
  /** Steps completed. */
  step: number;
  trainLoss: LossPoint[];
  validLoss: LossPoint[];
}

export interface StepInfo {
  step: number; // completed steps after this one
  loss: number;
  lr: number;
  gradNorm: number;
  /** Positions trained on in this step (unmasked targets). */
  tokens: number;
  seconds: number;
}

export interface TrainHooks {
  onStep?: (info: StepInfo) => void;
  onEval?: (info: { step: number; loss: number; perplexity: number }) => void;
  onCheckpoint?: (state: TrainerState) => Promise<void>;
}

export interface TrainData {
  train: TokenCorpus;
  valid?: TokenCorpus;
  eosTokenId: number;
}

export function batchAt(data: TrainData, options: TrainOptions, step: number): TokenBatch {
  const random = new SeededRandom(seedFor(options.seed, `batch ${step}`));
  const { batchSize: B, seqLen: T } = options;
  return options.batching === 'packed'
    ? packedBatch(data.train.stream, B, T, random, data.eosTokenId)
    : paddedBatch(data.train.documents, B, T, random, data.eosTokenId);
}

/** Mean loss over (at most `maxBatches` of) the validation stream, weighted by unmasked tokens. */
export async function validationLoss(session: TrainingSession, weights: Gpt2Weights, stream: Int32Array, options: TrainOptions, eos: number): Promise<number> {
  let total = 0, count = 0, n = 0;
  for (const batch of sequentialBatches(stream, options.batchSize, options.seqLen, eos)) {
    if (n++ >= options.evalBatches) break;
    const tokens = batch.lossMask.reduce((a, b) => a + b, 0);
    total += (await session.lossAndGradients(weights, batch)).loss * tokens;
    count += tokens;
  }
  return count ? total / count : NaN;
}

/**
 * Training options that cannot work with this model or this data. `option` names the TrainOptions field at
 * fault, so a front end can point at its own name for it (the CLI's flag).
 */
export class TrainingError extends Error {
  constructor(
    readonly code: 'SEQ_TOO_LONG' | 'LOSS_NOT_FINITE',
    readonly option: 'seqLen' | 'schedule.maxLr',
    message: string,
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}

export async function train(state: TrainerState, data: TrainData, options: TrainOptions, hooks: TrainHooks = {}): Promise<TrainerState> {
  if (options.seqLen > state.config.nPositions) {
    throw new TrainingError('SEQ_TOO_LONG', 'seqLen', `sequences of ${options.seqLen} tokens are longer than the model's context (n_positions ${state.config.nPositions})`);
  }
  const sessionOptions = { threads: options.threads };
  const gradients = await TrainingSession.create(state.config, 'gradients', sessionOptions);
  const lossOnly = data.valid ? await TrainingSession.create(state.config, 'loss', sessionOptions) : undefined;
  const schedule = { ...options.schedule, totalSteps: options.steps };
  // Moves the weights and moments into WebAssembly memory (the maps' entries become views): ~5x the JS update at 124M.
  const adamwUpdate = adoptWasmAdamW(state.weights, state.optimizer);
  const evaluate = async () => {
    if (!lossOnly || !data.valid) return;
    const loss = await validationLoss(lossOnly, state.weights, data.valid.stream, options, data.eosTokenId);
    state.validLoss.push({ step: state.step, loss });
    hooks.onEval?.({ step: state.step, loss, perplexity: Math.exp(loss) });
  };
  try {
    if (state.step === 0) await evaluate();
    while (state.step < options.steps) {
      const started = performance.now();
      const batch = batchAt(data, options, state.step);
      const { loss, grads, gradNorm } = await gradients.lossAndGradients(state.weights, batch);
      if (!Number.isFinite(loss)) throw new TrainingError('LOSS_NOT_FINITE', 'schedule.maxLr', `the loss became ${loss} at step ${state.step + 1}; lower the learning rate`);
      const lr = learningRateAt(state.step, schedule);
      adamwUpdate(state.weights, grads, state.optimizer, lr, options.adamw, clipScale(gradNorm, options.gradClip));
      state.step++;
      state.trainLoss.push({ step: state.step, loss });
      const tokens = batch.lossMask.reduce((a, b) => a + b, 0);
      hooks.onStep?.({ step: state.step, loss, lr, gradNorm, tokens, seconds: (performance.now() - started) / 1000 });
      const last = state.step === options.steps;
      if (state.step % options.evalEvery === 0 || last) await evaluate();
      if (state.step % options.checkpointEvery === 0 || last) await hooks.onCheckpoint?.(state);
    }
  } finally {
    await gradients.release();
    await lossOnly?.release();
  }
  return state;
}
