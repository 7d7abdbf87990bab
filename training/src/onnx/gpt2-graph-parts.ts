/**
 * The GPT-2 graph pieces that `buildGpt2Decoder` (optimum's contract) and `buildGpt2ServerDecoder` (the
 * server's cache layout) share: weight lookup, the attention mask, embeddings, the transformer block and the
 * tied head, in fp32 or with block-quantized weights (`Gpt2GraphOptions`). The two differ only in how a
 * layer's keys and values meet the cache, so the block takes that as a function (`KvCache`) and each decoder
 * keeps its own inputs and outputs.
 *
 * Shape letters: B batch, T new tokens, P cached tokens, S = P + T, C n_embd, NH heads, HS = C / NH.
 */
import { gpt2TensorShapes, headDim, type Gpt2Config, type Gpt2Weights } from '../model/gpt2-config.js';
import { MASKED_SCORE } from '../model/reference-forward.js';
import type { GraphBuilder } from './graph-builder.js';
import { DataType } from './onnx-proto.js';
import { addQuantizedData, addQuantizedTensors, gatherBlockQuantized, matMulNBits, MS_DOMAIN, type QuantizedTensors } from './quantize/matmul-nbits.js';
import { HEAD_WEIGHT, type QuantizedGpt2Weights } from './quantize/quantize-weights.js';

/**
 * One layer's attention over its cache: takes the layer's new q/k/v rows `[B, T, C]`, returns the attended
 * values in heads, `[B, NH, T, HS]`. Each decoder meets its own cache layout here (usually through `attend`).
 */
export type CachedAttention = (layer: number, split: { q: string; k: string; v: string }) => string;

export interface Gpt2GraphParts {
  /** Adds a checkpoint weight as an initializer (once) after checking its size, and returns its name. */
  weight(name: string): string;
  layerNorm(x: string, prefix: string): string;
  /** `[B, T, C]` -> `[B, NH, T, HS]`. */
  toHeads(x: string): string;
  /** The shape constant `[0, 0, NH, HS]` that splits C into heads. */
  headsShape: string;
  /** Token plus position embeddings: `[B, T, C]`. */
  embeddings(): string;
  /** The LM head tied to wte: `[M, C]` -> `[M, V]`, optionally into a named output. */
  head(x: string, output?: string): string;
  /**
   * Scaled dot-product attention of `q` `[B, NH, T, HS]` over `keys`/`values` `[B, NH, S, HS]`, masked by the
   * graph's causal and padding mask `[B, 1, T, S]` (S = attention_mask's width): `[B, NH, T, HS]`.
   */
  attend(q: string, keys: string, values: string): string;
  /** Masked softmax of raw scores `[B, NH, T, S]` (scaled here, then masked as `attend` does). */
  attentionWeights(scores: string): string;
  /** One transformer block (attention, then the MLP, each with its residual): `[B, T, C]` -> `[B, T, C]`. */
  block(x: string, layer: number, attention: CachedAttention): string;
}

/** `headDim`, refusing a shape whose channels do not split evenly into heads. */
export function checkedHeadDim(config: Gpt2Config): number {
  const HS = headDim(config);
  if (!Number.isInteger(HS)) throw new Error(`n_embd ${config.nEmbd} is not divisible by n_head ${config.nHead}`);
  return HS;
}

export interface Gpt2GraphOptions {
  /**
   * Weights to run as `com.microsoft.MatMulNBits` instead of fp32 MatMul (from `quantizeGpt2Weights`). With
   * the head quantized, the embedding is looked up in a quantized table too (GatherBlockQuantized), so wte
   * is not kept in fp32 at all.
   */
  quantized?: QuantizedGpt2Weights;
  /**
   * The MLP's c_fc bias and gelu_new as one `com.microsoft.FastGelu` (the same tanh formula) instead of ten
   * standard ops a layer. The server's graph takes it: onnxruntime pays a dispatch per node, and at batch 1 the
   * small ops cost as much as the matrix products. The standard graph keeps standard ops for other runtimes.
   */
  fusedGelu?: boolean;
}

/** The opsets a decoder built with these options imports: contrib ops only when quantized or fused. */
export function gpt2Opsets(opset: number, options: Gpt2GraphOptions): { domain: string; version: number }[] {
  return options.quantized || options.fusedGelu ? [{ domain: '', version: opset }, { domain: MS_DOMAIN, version: 1 }] : [{ domain: '', version: opset }];
}

/** Call after the graph's inputs are declared: it adds the shared constants and the attention mask. */
export function gpt2GraphParts(
  g: GraphBuilder,
  config: Gpt2Config,
  weights: Gpt2Weights,
  inputs: { inputIds: string; attentionMask: string; positionIds: string },
  options: Gpt2GraphOptions = {},
): Gpt2GraphParts {
  const { nEmbd: C, nHead: NH, layerNormEpsilon: epsilon } = config;
  const HS = checkedHeadDim(config);
  const shapes = gpt2TensorShapes(config);
  const added = new Set<string>();
  const weight = (name: string): string => {
    if (added.has(name)) return name;
    const data = weights.get(name);
    const shape = shapes.get(name);
    if (!data || !shape) throw new Error(`missing weight ${name}`);
    if (data.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`weight ${name} has ${data.length} values, expected [${shape.join(', ')}]`);
    added.add(name);
    return g.initializer(name, data, shape);
  };

  const allowed = attentionAllowed(g, inputs.inputIds, inputs.attentionMask); // [B, 1, T, S]
  const maskedScore = g.constFloat(MASKED_SCORE, [], 'masked_score');
  const scale = g.constFloat(1 / Math.sqrt(HS), [], 'attn_scale');

  const headsShape = g.constInt64([0, 0, NH, HS], [4], 'heads_shape'); // [B, T, C] -> [B, T, NH, HS]
  const mergedShape = g.constInt64([0, 0, C], [3], 'merged_shape'); // [B, T, NH, HS] -> [B, T, C]
  const qkvSplit = g.constInt64([C, C, C], [3], 'qkv_split');
  // gelu_new's constants, only where it is spelled out (a fused graph would carry them unused, and onnxruntime says so at load).
  const gelu = options.fusedGelu
    ? undefined
    : { k: g.constFloat(Math.sqrt(2 / Math.PI), [], 'gelu_k'), cubic: g.constFloat(0.044715, [], 'gelu_cubic'), half: g.constFloat(0.5, [], 'half'), one: g.constFloat(1, [], 'one') };

  const layerNorm = (x: string, prefix: string): string =>
    g.op('LayerNormalization', [x, weight(`${prefix}.weight`), weight(`${prefix}.bias`)], { axis: { i: -1 }, epsilon: { f: epsilon } }, { name: prefix });
  const quantized = options.quantized?.tensors;
  const accuracyLevel = options.quantized?.spec.accuracyLevel;
  const quantizedAdded = new Map<string, QuantizedTensors>();
  const quantizedWeight = (name: string) => {
    const m = quantized?.get(name);
    if (!m) return undefined;
    let tensors = quantizedAdded.get(name);
    if (!tensors) quantizedAdded.set(name, (tensors = addQuantizedTensors(g, name, m)));
    return { m, tensors };
  };

  const product = (x: string, prefix: string): string => {
    const q = quantizedWeight(`${prefix}.weight`);
    return q
      ? matMulNBits(g, x, q.m, q.tensors, { name: `${prefix}.matmul`, accuracyLevel })
      : g.op('MatMul', [x, weight(`${prefix}.weight`)], {}, { name: `${prefix}.matmul` });
  };
  const linear = (x: string, prefix: string): string => g.op('Add', [product(x, prefix), weight(`${prefix}.bias`)], {}, { name: `${prefix}.add` });
  const toHeads = (x: string): string => g.op('Transpose', [g.op('Reshape', [x, headsShape])], { perm: { ints: [0, 2, 1, 3] } }); // [B, NH, T, HS]

  const embeddings = (): string => {
    const table = options.quantized?.embedding;
    const head = quantizedWeight(HEAD_WEIGHT);
    const tokens = table
      ? gatherBlockQuantized(g, inputs.inputIds, table, table === head?.m ? head.tensors.data : addQuantizedData(g, 'wte.embedding', table), 'wte')
      : g.op('Gather', [weight('wte.weight'), inputs.inputIds], {}, { name: 'wte' });
    return g.op('Add', [tokens, g.op('Gather', [weight('wpe.weight'), inputs.positionIds], {}, { name: 'wpe' })]);
  };

  // logits = x @ wte^T: Gemm(transB) so the fp32 wte is stored once, or MatMulNBits, whose [N, K] layout is wte's own.
  const head = (x: string, output?: string): string => {
    const q = quantizedWeight(HEAD_WEIGHT);
    return q ? matMulNBits(g, x, q.m, q.tensors, { name: 'lm_head', output, accuracyLevel }) : g.op('Gemm', [x, weight('wte.weight')], { transB: { i: 1 } }, { name: 'lm_head', output });
  };

  const attentionWeights = (scores: string): string =>
    g.op('Softmax', [g.op('Where', [allowed, g.op('Mul', [scores, scale]), maskedScore])], { axis: { i: -1 } });
  const attend = (q: string, keys: string, values: string): string => {
    const kT = g.op('Transpose', [keys], { perm: { ints: [0, 1, 3, 2] } }); // [B, NH, HS, S]
    return g.op('MatMul', [attentionWeights(g.op('MatMul', [q, kT])), values]); // [B, NH, T, HS]
  };

  const geluNew = (fc: string): string => {
    const { k, cubic, half, one } = gelu!;
    const cube = g.op('Mul', [g.op('Mul', [fc, fc]), fc]);
    const inner = g.op('Mul', [g.op('Add', [fc, g.op('Mul', [cube, cubic])]), k]);
    return g.op('Mul', [g.op('Mul', [fc, half]), g.op('Add', [one, g.op('Tanh', [inner])])]);
  };
  const fastGelu = (x: string, h: string): string =>
    g.op('FastGelu', [product(x, `${h}.mlp.c_fc`), weight(`${h}.mlp.c_fc.bias`)], {}, { name: `${h}.mlp.gelu`, domain: MS_DOMAIN });

  const block = (x: string, layer: number, attention: CachedAttention): string => {
    const h = `h.${layer}`;
    // Attention.
    const qkv = linear(layerNorm(x, `${h}.ln_1`), `${h}.attn.c_attn`); // [B, T, 3C]
    const [q, k, v] = g.ops('Split', [qkv, qkvSplit], 3, { axis: { i: 2 } }, { name: `${h}.attn.split` }); // [B, T, C]
    const y = attention(layer, { q, k, v }); // [B, NH, T, HS]
    const merged = g.op('Reshape', [g.op('Transpose', [y], { perm: { ints: [0, 2, 1, 3] } }), mergedShape]); // [B, T, C]
    x = g.op('Add', [x, linear(merged, `${h}.attn.c_proj`)], {}, { name: `${h}.residual_1` });
    // MLP with gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
    const normed = layerNorm(x, `${h}.ln_2`);
    const activated = options.fusedGelu ? fastGelu(normed, h) : geluNew(linear(normed, `${h}.mlp.c_fc`)); // [B, T, 4C]
    return g.op('Add', [x, linear(activated, `${h}.mlp.c_proj`)], {}, { name: `${h}.residual_2` });
  };

  return { weight, layerNorm, toHeads, headsShape, embeddings, head, attend, attentionWeights, block };
}

/** Which keys each query may attend to: not in its future, and not padding.  allowed: [B, 1, T, S] */
function attentionAllowed(g: GraphBuilder, inputIds: string, attentionMask: string): string {
  const T = g.op('Shape', [inputIds], { start: { i: 1 }, end: { i: 2 } }); // [1]
  const S = g.op('Shape', [attentionMask], { start: { i: 1 }, end: { i: 2 } }); // [1]
  const P = g.op('Sub', [S, T]);
  const scalar = (x: string): string => g.op('Squeeze', [x, g.constInt64([0])]);
  const zero = g.constInt64([0], []);
  const one = g.constInt64([1], []);
  const keyPos = g.op('Unsqueeze', [g.op('Range', [zero, scalar(S), one]), g.constInt64([0])]); // [1, S]
  const queryPos = g.op('Unsqueeze', [g.op('Range', [scalar(P), scalar(S), one]), g.constInt64([1])]); // [T, 1]
  const causal = g.op('LessOrEqual', [keyPos, queryPos]); // [T, S]
  const notPadding = g.op('Unsqueeze', [g.op('Cast', [attentionMask], { to: { i: DataType.BOOL } }), g.constInt64([1, 2])]); // [B, 1, 1, S]
  return g.op('And', [causal, notPadding], {}, { name: 'attention_allowed' }); // [B, 1, T, S]
}
