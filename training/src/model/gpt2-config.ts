/**
 * The names and shapes of a GPT-2's tensors (its hyper-parameters, Gpt2Config, are the model-folder format's).
 *
 * Shape letters, as in llm.c: V vocabulary, P max positions, C channels (n_embd), L layers, NH heads.
 * Tensor names are Hugging Face's `GPT2Model` names (no `transformer.` prefix); linear weights use GPT-2's
 * Conv1D layout, `[in, out]`, so `y = x @ W + b`.
 */
// The hyper-parameters' one home is the model-folder format, which reads and writes config.json.
import type { Gpt2Config } from '@mimicbot/model-format';

export type { Gpt2Config };

/** Every parameter of a GPT-2, keyed by its Hugging Face name. */
export type Gpt2Weights = Map<string, Float32Array>;

/** The shapes of all parameters, in the order GPT-2 computes with them. */
export function gpt2TensorShapes(config: Gpt2Config): Map<string, number[]> {
  const { vocabSize: V, nPositions: P, nEmbd: C, nLayer: L } = config;
  const shapes = new Map<string, number[]>();
  shapes.set('wte.weight', [V, C]);
  shapes.set('wpe.weight', [P, C]);
  for (let l = 0; l < L; l++) {
    const h = `h.${l}`;
    shapes.set(`${h}.ln_1.weight`, [C]);
    shapes.set(`${h}.ln_1.bias`, [C]);
    shapes.set(`${h}.attn.c_attn.weight`, [C, 3 * C]);
    shapes.set(`${h}.attn.c_attn.bias`, [3 * C]);
    shapes.set(`${h}.attn.c_proj.weight`, [C, C]);
    shapes.set(`${h}.attn.c_proj.bias`, [C]);
    shapes.set(`${h}.ln_2.weight`, [C]);
    shapes.set(`${h}.ln_2.bias`, [C]);
    shapes.set(`${h}.mlp.c_fc.weight`, [C, 4 * C]);
    shapes.set(`${h}.mlp.c_fc.bias`, [4 * C]);
    shapes.set(`${h}.mlp.c_proj.weight`, [4 * C, C]);
    shapes.set(`${h}.mlp.c_proj.bias`, [C]);
  }
  shapes.set('ln_f.weight', [C]);
  shapes.set('ln_f.bias', [C]);
  return shapes;
}

export function headDim(config: Gpt2Config): number {
  return config.nEmbd / config.nHead;
}

/** Named shapes used by benchmarks and tests. */
export const GPT2_124M: Omit<Gpt2Config, 'vocabSize'> = {
  nPositions: 1024,
  nEmbd: 768,
  nLayer: 12,
  nHead: 12,
  layerNormEpsilon: 1e-5,
  bosTokenId: 50256,
  eosTokenId: 50256,
};
