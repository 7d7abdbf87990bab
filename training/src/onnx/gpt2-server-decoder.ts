/**
 * The GPT-2 decoder shaped for the inference server (`server/src/engine/`), written beside the standard
 * `model.onnx` as `server_decoder.onnx`. Same math as `buildGpt2Decoder`; only the cache I/O differs, because
 * onnxruntime-node copies every output into a fresh buffer (onnx.md §3.3, §3.7): returning the whole
 * `present` cache each step costs more than the step at long contexts.
 *
 * - The past comes in time-major, `past_key.{i}` / `past_value.{i}` `[P, B, C]`, so the server keeps one slab
 *   per layer `[Tmax, B, C]`, feeds its first P rows as a zero-copy view and appends a step's rows in place.
 * - Only the new rows go out: `new_key.{i}` / `new_value.{i}` `[T, B, C]`.
 * - Only the last position's logits go out: `logits` `[B, V]` (prefill never builds `[B, T, V]`).
 *
 * Inputs `input_ids`, `attention_mask` `[B, P+T]` and `position_ids` mean what they mean in optimum's
 * contract, so left padding works the same way.
 * Shape letters: B batch, T new tokens, P cached tokens, S = P + T, C n_embd, NH heads, HS = C / NH, V vocab.
 */
import { gpt2TensorShapes, type Gpt2Config, type Gpt2Weights } from '../model/gpt2-config.js';
import { MASKED_SCORE } from '../model/reference-forward.js';
import { GraphBuilder } from './graph-builder.js';
import { DataType, type ModelProto } from './onnx-proto.js';

/** Keep in step with `SERVER_DECODER_FILE` in `server/src/engine/model-files.ts`. */
export const SERVER_DECODER_FILE = 'server_decoder.onnx';

export function buildGpt2ServerDecoder(config: Gpt2Config, weights: Gpt2Weights): ModelProto {
  const { nEmbd: C, nHead: NH, nLayer: L, vocabSize: V, layerNormEpsilon: epsilon } = config;
  const HS = C / NH;
  if (!Number.isInteger(HS)) throw new Error(`n_embd ${C} is not divisible by n_head ${NH}`);
  const g = new GraphBuilder('gpt2_server_decoder');
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

  const inputIds = g.input('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', DataType.INT64, ['batch_size', 'past_sequence_length + sequence_length']);
  const positionIds = g.input('position_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const pastShape = ['past_sequence_length', 'batch_size', C];
  const past = Array.from({ length: L }, (_, l) => ({
    key: g.input(`past_key.${l}`, DataType.FLOAT, pastShape),
    value: g.input(`past_value.${l}`, DataType.FLOAT, pastShape),
  }));

  // allowed: [B, 1, T, S], as in buildGpt2Decoder: not in the query's future, and not padding.
  const T = g.op('Shape', [inputIds], { start: { i: 1 }, end: { i: 2 } });
  const S = g.op('Shape', [attentionMask], { start: { i: 1 }, end: { i: 2 } });
  const P = g.op('Sub', [S, T]);
  const scalar = (x: string): string => g.op('Squeeze', [x, g.constInt64([0])]);
  const zero = g.constInt64([0], []);
  const one = g.constInt64([1], []);
  const keyPos = g.op('Unsqueeze', [g.op('Range', [zero, scalar(S), one]), g.constInt64([0])]); // [1, S]
  const queryPos = g.op('Unsqueeze', [g.op('Range', [scalar(P), scalar(S), one]), g.constInt64([1])]); // [T, 1]
  const causal = g.op('LessOrEqual', [keyPos, queryPos]);
  const notPadding = g.op('Unsqueeze', [g.op('Cast', [attentionMask], { to: { i: DataType.BOOL } }), g.constInt64([1, 2])]);
  const allowed = g.op('And', [causal, notPadding], {}, { name: 'attention_allowed' });
  const maskedScore = g.constFloat(MASKED_SCORE, [], 'masked_score');
  const scale = g.constFloat(1 / Math.sqrt(HS), [], 'attn_scale');

  const headsShape = g.constInt64([0, 0, NH, HS], [4], 'heads_shape');
  const mergedShape = g.constInt64([0, 0, C], [3], 'merged_shape');
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
  const pastToHeads = (x: string): string => g.op('Transpose', [g.op('Reshape', [x, headsShape])], { perm: { ints: [1, 2, 0, 3] } }); // [P, B, C] -> [B, NH, P, HS]
  const timeMajor = (x: string, output: string): string => g.op('Transpose', [x], { perm: { ints: [1, 0, 2] } }, { output }); // [B, T, C] -> [T, B, C]

  let x = g.op('Add', [g.op('Gather', [weight('wte.weight'), inputIds], {}, { name: 'wte' }), g.op('Gather', [weight('wpe.weight'), positionIds], {}, { name: 'wpe' })]); // [B, T, C]

  for (let l = 0; l < L; l++) {
    const h = `h.${l}`;
    const qkv = linear(layerNorm(x, `${h}.ln_1`), `${h}.attn.c_attn`); // [B, T, 3C]
    const [qFlat, kFlat, vFlat] = g.ops('Split', [qkv, qkvSplit], 3, { axis: { i: 2 } }, { name: `${h}.attn.split` }); // [B, T, C]
    timeMajor(kFlat, `new_key.${l}`);
    timeMajor(vFlat, `new_value.${l}`);
    const q = toHeads(qFlat);
    const keys = g.op('Concat', [pastToHeads(past[l].key), toHeads(kFlat)], { axis: { i: 2 } }); // [B, NH, S, HS]
    const values = g.op('Concat', [pastToHeads(past[l].value), toHeads(vFlat)], { axis: { i: 2 } });
    const kT = g.op('Transpose', [keys], { perm: { ints: [0, 1, 3, 2] } }); // [B, NH, HS, S]
    const scores = g.op('Mul', [g.op('MatMul', [q, kT]), scale]); // [B, NH, T, S]
    const att = g.op('Softmax', [g.op('Where', [allowed, scores, maskedScore])], { axis: { i: -1 } });
    const y = g.op('MatMul', [att, values]); // [B, NH, T, HS]
    const merged = g.op('Reshape', [g.op('Transpose', [y], { perm: { ints: [0, 2, 1, 3] } }), mergedShape]); // [B, T, C]
    x = g.op('Add', [x, linear(merged, `${h}.attn.c_proj`)], {}, { name: `${h}.residual_1` });
    const fc = linear(layerNorm(x, `${h}.ln_2`), `${h}.mlp.c_fc`); // [B, T, 4C]
    const cube = g.op('Mul', [g.op('Mul', [fc, fc]), fc]);
    const inner = g.op('Mul', [g.op('Add', [fc, g.op('Mul', [cube, geluCubic])]), geluK]);
    const gelu = g.op('Mul', [g.op('Mul', [fc, half]), g.op('Add', [oneF, g.op('Tanh', [inner])])]);
    x = g.op('Add', [x, linear(gelu, `${h}.mlp.c_proj`)], {}, { name: `${h}.residual_2` });
  }

  // Last position only, then the head tied to wte.
  const last = g.op('Gather', [x, g.constInt64([-1], [])], { axis: { i: 1 } }); // [B, C]
  g.op('Gemm', [layerNorm(last, 'ln_f'), weight('wte.weight')], { transB: { i: 1 } }, { name: 'lm_head', output: 'logits' }); // [B, V]

  g.output('logits', DataType.FLOAT, ['batch_size', V]);
  for (let l = 0; l < L; l++) {
    g.output(`new_key.${l}`, DataType.FLOAT, ['sequence_length', 'batch_size', C]);
    g.output(`new_value.${l}`, DataType.FLOAT, ['sequence_length', 'batch_size', C]);
  }
  return g.model([{ domain: '', version: 17 }], { model_type: 'gpt2', mimicbot_contract: 'server' });
}
