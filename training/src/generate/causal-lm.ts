/**
 * What the generation loop needs from a model: one forward step over a batch with a KV cache. Both the
 * ONNX session and the reference forward implement it, so the same loop drives both in tests.
 */
import type { Gpt2Config, Gpt2Weights } from '../model/gpt2-config.js';
import { gpt2Forward, type ForwardInputs, type ForwardOutputs } from '../model/reference-forward.js';

export interface CausalLm {
  readonly config: Gpt2Config;
  forward(inputs: ForwardInputs): Promise<ForwardOutputs>;
}

/** The plain TypeScript forward pass as a CausalLm (slow; for tests and tiny models). */
export function referenceCausalLm(config: Gpt2Config, weights: Gpt2Weights): CausalLm {
  return { config, forward: async (inputs) => gpt2Forward(config, weights, inputs) };
}
