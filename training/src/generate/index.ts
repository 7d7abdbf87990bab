export { referenceCausalLm, type CausalLm } from './causal-lm.js';
export { OnnxCausalLm } from './onnx-causal-lm.js';
export { generate, type GenerateOptions } from './generate.js';
export { leftPad, type PaddedBatch } from './left-pad.js';
