/**
 * Which GPT-2 weights are quantized, and quantizing them: every linear layer (attn.c_attn, attn.c_proj,
 * mlp.c_fc, mlp.c_proj) and, unless kept, the LM head, which GPT-2 ties to the token embedding wte.
 * Embeddings (wpe), LayerNorms and biases stay fp32: they are 1% of the weights and a quantization error
 * there reaches every token.
 */
import type { Gpt2Config, Gpt2Weights } from '../../model/gpt2-config.js';
import { checkBlockQuantOptions, quantizeConv1D, quantizeRows, type BlockQuantized, type QuantBits } from './block-quantize.js';

export interface QuantizeSpec {
  bits: QuantBits;
  /** Weights per block along K (32 unless told). */
  blockSize: number;
  /** No zero points; see the eval note for which is better at 4 bits. */
  symmetric: boolean;
  /** Leave the LM head (and so the tied embedding) in fp32. */
  keepHead: boolean;
  /**
   * The head's bits when it is quantized (default: `bits`). At 8 the embedding shares the head's table, so a
   * q4 model with an 8-bit head is smaller than one with a 4-bit head plus its 8-bit embedding table.
   */
  headBits?: QuantBits;
  /** MatMulNBits's accuracy_level: ACCURACY_LEVEL (int8 activations) unless told; 0 computes in fp32. */
  accuracyLevel?: number;
}

export const DEFAULT_BLOCK_SIZE = 32;

/** What `mimicbot quantize --bits 8|4` does unless told otherwise: the spec the fast path and the benches build with too. */
export function defaultQuantizeSpec(dtype: 'q8' | 'q4'): QuantizeSpec {
  return { bits: dtype === 'q8' ? 8 : 4, blockSize: DEFAULT_BLOCK_SIZE, symmetric: false, keepHead: false };
}

/** The tied LM head, quantized as wte `[V, C]` (one row per output logit): the name it goes by. */
export const HEAD_WEIGHT = 'wte.weight';

export interface QuantizedGpt2Weights {
  spec: QuantizeSpec;
  /** By the fp32 weight's name; `wte.weight` is the tied head, `[N = V, K = C]`. */
  tensors: Map<string, BlockQuantized>;
  /**
   * The token embedding's lookup table, when the head is quantized: always 8-bit. At 8 bits it is the
   * head's own tensor (shared bytes); at 4 bits a separate 8-bit copy of wte, because a 4-bit embedding cost
   * the default model +1.8% perplexity on top of the rest of q4 while an 8-bit one cost nothing measurable.
   */
  embedding?: BlockQuantized;
}

/** Bits of the embedding lookup table of a quantized model (see QuantizedGpt2Weights.embedding). */
export const EMBEDDING_BITS = 8;

/** The Conv1D weights `[in, out]` of every layer, in the order the model uses them. */
export function linearWeightShapes(config: Gpt2Config): { name: string; K: number; N: number }[] {
  const C = config.nEmbd;
  const out: { name: string; K: number; N: number }[] = [];
  for (let l = 0; l < config.nLayer; l++) {
    out.push({ name: `h.${l}.attn.c_attn.weight`, K: C, N: 3 * C });
    out.push({ name: `h.${l}.attn.c_proj.weight`, K: C, N: C });
    out.push({ name: `h.${l}.mlp.c_fc.weight`, K: C, N: 4 * C });
    out.push({ name: `h.${l}.mlp.c_proj.weight`, K: 4 * C, N: C });
  }
  return out;
}

/** Quantizes what `spec` asks for; `onProgress` counts parameters quantized so far, of the total. */
export function quantizeGpt2Weights(
  config: Gpt2Config,
  weights: Gpt2Weights,
  spec: QuantizeSpec,
  onProgress?: (done: number, total: number) => void,
): QuantizedGpt2Weights {
  const options = { bits: spec.bits, blockSize: spec.blockSize, symmetric: spec.symmetric };
  checkBlockQuantOptions(options);
  const linears = linearWeightShapes(config);
  const total = linears.reduce((n, l) => n + l.K * l.N, 0) + (spec.keepHead ? 0 : config.vocabSize * config.nEmbd);
  const tensors = new Map<string, BlockQuantized>();
  let done = 0;
  const get = (name: string): Float32Array => {
    const w = weights.get(name);
    if (!w) throw new Error(`missing weight ${name}`);
    return w;
  };
  for (const { name, K, N } of linears) {
    tensors.set(name, quantizeConv1D(get(name), K, N, options));
    done += K * N;
    onProgress?.(done, total);
  }
  if (spec.keepHead) return { spec, tensors };
  const wte = get(HEAD_WEIGHT);
  const head = quantizeRows(wte, config.vocabSize, config.nEmbd, { ...options, bits: spec.headBits ?? spec.bits });
  tensors.set(HEAD_WEIGHT, head);
  const embedding = head.bits === EMBEDDING_BITS ? head : quantizeRows(wte, config.vocabSize, config.nEmbd, { ...options, bits: EMBEDDING_BITS });
  onProgress?.(total, total);
  return { spec, tensors, embedding };
}

/** Short words for a spec, for file metadata and logs: `q4 block 32 asymmetric, head q4`. */
export function describeQuantizeSpec(spec: QuantizeSpec): string {
  const accuracy = spec.accuracyLevel === undefined ? '' : `, accuracy_level ${spec.accuracyLevel}`;
  return `q${spec.bits} block ${spec.blockSize} ${spec.symmetric ? 'symmetric' : 'asymmetric'}, head ${spec.keepHead ? 'fp32' : `q${spec.headBits ?? spec.bits}`}${accuracy}`;
}
