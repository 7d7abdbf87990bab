export { buildTrainingGraph, encodeTrainingGraph, GRAD_PREFIX, GRAD_SUMSQ, type TrainingGraphMode } from './training-graph.js';
export { TrainingSession, type TokenBatch, type SessionOptions } from './training-session.js';
export { adamwUpdate, createAdamWState, decays, DEFAULT_ADAMW, type AdamWOptions, type AdamWState } from './adamw.js';
export { adoptWasmAdamW, type AdamWUpdate } from './adamw-wasm.js';
export { learningRateAt, type LrSchedule } from './lr-schedule.js';
export { clipGradNorm, clipScale, globalNorm } from './grad-clip.js';
export { packedBatch, paddedBatch, sequentialBatches } from './batches.js';
export { tokenizeCorpus, type TokenCorpus } from './token-corpus.js';
export {
  train,
  batchAt,
  validationLoss,
  DEFAULT_TRAIN_OPTIONS,
  type Batching,
  type LossPoint,
  type StepInfo,
  type TrainData,
  type TrainerState,
  type TrainHooks,
  type TrainOptions,
} from './trainer.js';
export { saveTrainingCheckpoint, loadTrainingCheckpoint } from './training-checkpoint.js';
export { lossCurveSvg, type LossCurveOptions } from './loss-curve-svg.js';
export { sampleFromWeights, type Sample, type SampleOptions } from './samples.js';
export { fortuneCorpus, parseFortunes, type FortuneOptions } from './fortune-corpus.js';
