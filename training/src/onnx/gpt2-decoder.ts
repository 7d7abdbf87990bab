/**
 * The GPT-2 decoder with a KV cache as an ONNX graph, with exactly the inputs and outputs of a Hugging
 * Face optimum `text-generation-with-past` export (docs/contracts.md), so transformers.js and our server
 * run it alike. Standard ops only (opset 17), so stock onnxruntime-node runs it.
 *
 * Shape letters: B batch, T new tokens, P cached tokens, S = P + T, C n_embd, NH heads, HS = C / NH, V vocab.
 * Weights are referenced, not copied: the model's initializers point at the Float32Arrays given.
 */
import { gpt2TensorShapes, type Gpt2Config, type Gpt2Weights } from '../model/gpt2-config.js';
import { MASKED_SCORE } from '../model/reference-forward.js';
import { GraphBuilder } from './graph-builder.js';
import { DataType, type ModelProto } from './onnx-proto.js';

export const OPSET = 17;

export interface Gpt2DecoderOptions {
  /**
   * Only the last position's logits ([B, 1, V]) instead of every position's: what a server needs, and
   * it saves the [B, T, V] head in prefill. Not the optimum contract, so model folders leave it off.
   */
  lastPositionLogitsOnly?: boolean;
}

export function pastKeyName(layer: number): string {
  return `past_key_values.${layer}.key`;
}
export function pastValueName(layer: number): string {
  return `past_key_values.${layer}.value`;
}
export function presentKeyName(layer: number): string {
  return `present.${layer}.key`;
}
export function presentValueName(layer: number): string {
  return `present.${layer}.value`;
}

export function buildGpt2Decoder(config: Gpt2Config, weights: Gpt2Weights, options: Gpt2DecoderOptions = {}): ModelProto {
  const { nEmbd: C, nHead: NH, nLayer: L, vocabSize: V, layerNormEpsilon: epsilon } = config;
  const HS = C / NH;
  if (!Number.isInteger(HS)) throw new Error(`n_embd ${C} is not divisible by n_head ${NH}`);
  const g = new GraphBuilder('gpt2_decoder_with_past');
  const shapes = gpt2TensorShapes(config);
  const weight = (name: string): string => {
    const data = weights.get(name);
    const shape = shapes.get(name);
    if (!data || !shape) throw new Error(`missing weight ${name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`weight ${name} has ${data.length} values, expected [${shape.join(', ')}]`);
    return g.initializer(name, data, shape);
  };

  // Inputs, with optimum's symbolic dimension names.
  const kvShape = ['batch_size', NH, 'past_sequence_length', HS];
  const inputIds = g.input('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', DataType.INT64, ['batch_size', 'past_sequence_length + sequence_length']);
  const positionIds = g.input('position_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const past: { key: string; value: string }[] = [];
  for (let l = 0; l < L; l++) {
    past.push({ key: g.input(pastKeyName(l), DataType.FLOAT, kvShape), value: g.input(pastValueName(l), DataType.FLOAT, kvShape) });
  }

  // Which keys each query may attend to: not in its future, and not padding.  allowed: [B, 1, T, S]
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
  const allowed = g.op('And', [causal, notPadding], {}, { name: 'attention_allowed' }); // [B, 1, T, S]
  const maskedScore = g.constFloat(MASKED_SCORE, [], 'masked_score');
  const scale = g.constFloat(1 / Math.sqrt(HS), [], 'attn_scale');

  // Shared shapes and constants.
  const headsShape = g.constInt64([0, 0, NH, HS], [4], 'heads_shape'); // [B, T, C] -> [B, T, NH, HS]
  const mergedShape = g.constInt64([0, 0, C], [3], 'merged_shape'); // [B, T, NH, HS] -> [B, T, C]
  const qkvSplit = g.constInt64([C, C, C], [3], 'qkv_split');
  const geluK = g.constFloat(Math.sqrt(2 / Math.PI), [], 'gelu_k');
  const geluCubic = g.constFloat(0.044715, [], 'gelu_cubic');
  const half = g.constFloat(0.5, [], 'half');
  const oneF = g.constFloat(1, [], 'one');

  const layerNorm = (x: string, prefix: string): string =>
    g.op('LayerNormalization', [x, weight(`${prefix}.weight`), weight(`${prefix}.bias`)], { axis: { i: -1 }, epsilon: { f: epsilon } }, { name: prefix });
  const linear = (x: string, prefix: string): string =>
    g.op('Add', [g.op('MatMul', [x, weight(`${prefix}.weight`)], {}, { name: `${prefix}.matmul` }), weight(`${prefix}.bias`)], {}, { name: `${prefix}.add` });
  const toHeads = (x: string): string => g.op('Transpose', [g.op('Reshape', [x, headsShape])], { perm: { ints: [0, 2, 1, 3] } }); // [B, NH, T, HS]

  // Token and position embeddings.  x: [B, T, C]
  let x = g.op('Add', [g.op('Gather', [weight('wte.weight'), inputIds], {}, { name: 'wte' }), g.op('Gather', [weight('wpe.weight'), positionIds], {}, { name: 'wpe' })]);

  for (let l = 0; l < L; l++) {
    const h = `h.${l}`;
    // Attention.
    const qkv = linear(layerNorm(x, `${h}.ln_1`), `${h}.attn.c_attn`); // [B, T, 3C]
    const [q, k, v] = g.ops('Split', [qkv, qkvSplit], 3, { axis: { i: 2 } }, { name: `${h}.attn.split` }).map(toHeads); // [B, NH, T, HS]
    const presentK = g.op('Concat', [past[l].key, k], { axis: { i: 2 } }, { output: presentKeyName(l) }); // [B, NH, S, HS]
    const presentV = g.op('Concat', [past[l].value, v], { axis: { i: 2 } }, { output: presentValueName(l) });
    const kT = g.op('Transpose', [presentK], { perm: { ints: [0, 1, 3, 2] } }); // [B, NH, HS, S]
    const scores = g.op('Mul', [g.op('MatMul', [q, kT]), scale]); // [B, NH, T, S]
    const att = g.op('Softmax', [g.op('Where', [allowed, scores, maskedScore])], { axis: { i: -1 } });
    const y = g.op('MatMul', [att, presentV]); // [B, NH, T, HS]
    const merged = g.op('Reshape', [g.op('Transpose', [y], { perm: { ints: [0, 2, 1, 3] } }), mergedShape]); // [B, T, C]
    x = g.op('Add', [x, linear(merged, `${h}.attn.c_proj`)], {}, { name: `${h}.residual_1` });
    // MLP with gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
    const fc = linear(layerNorm(x, `${h}.ln_2`), `${h}.mlp.c_fc`); // [B, T, 4C]
    const cube = g.op('Mul', [g.op('Mul', [fc, fc]), fc]);
    const inner = g.op('Mul', [g.op('Add', [fc, g.op('Mul', [cube, geluCubic])]), geluK]);
    const gelu = g.op('Mul', [g.op('Mul', [fc, half]), g.op('Add', [oneF, g.op('Tanh', [inner])])]);
    x = g.op('Add', [x, linear(gelu, `${h}.mlp.c_proj`)], {}, { name: `${h}.residual_2` });
  }

  // Head tied to wte: logits = ln_f(x) @ wte^T, as Gemm(transB) so wte is stored once.
  let final = layerNorm(x, 'ln_f'); // [B, T, C]
  if (options.lastPositionLogitsOnly) final = g.op('Gather', [final, g.constInt64([-1])], { axis: { i: 1 } }); // [B, 1, C]
  const flat = g.op('Reshape', [final, g.constInt64([-1, C])]); // [B*T, C]
  const head = g.op('Gemm', [flat, 'wte.weight'], { transB: { i: 1 } }, { name: 'lm_head' }); // [B*T, V]
  const batch = g.op('Shape', [inputIds], { start: { i: 0 }, end: { i: 1 } });
  const logitsShape = g.op('Concat', [batch, g.constInt64([-1, V])], { axis: { i: 0 } });
  g.op('Reshape', [head, logitsShape], {}, { output: 'logits' }); // [B, T, V]

  g.output('logits', DataType.FLOAT, ['batch_size', options.lastPositionLogitsOnly ? 1 : 'sequence_length', V]);
  const presentShape = ['batch_size', NH, 'past_sequence_length + sequence_length', HS];
  for (let l = 0; l < L; l++) {
    g.output(presentKeyName(l), DataType.FLOAT, presentShape);
    g.output(presentValueName(l), DataType.FLOAT, presentShape);
  }
  return g.model([{ domain: '', version: OPSET }], { model_type: 'gpt2' });
}
