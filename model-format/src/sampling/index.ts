// `@mimicbot/model-format/sampling`: the one sampler (server, `mimicbot sample`, the trainer's samples).
export { createSampler, checkSamplingParams, GREEDY, InvalidSamplingParamsError, type SamplingParams, type TokenSampler } from './sampler.js';
export { repetitionPenalty, temperature, topK, topP, type LogitsProcessor } from './logits-processors.js';
export { seededRandom, randomSeed, type Random } from './random.js';
export { argmax, drawFrom, kthLargest, softmax } from './distribution.js';
