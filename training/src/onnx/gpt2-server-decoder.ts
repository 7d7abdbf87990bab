/**
 * The GPT-2 decoder shaped for the inference server (`server/src/engine/`), written beside the standard
 * `model.onnx` as `server_decoder.onnx` (SERVER_DECODER_FILE in @mimicbot/model-format's graph table).
 * Same math as `buildGpt2Decoder`; the cache I/O differs, because onnxruntime-node copies every output
 * into a fresh buffer (onnx.md §3.3, §3.7): returning the whole `present` cache each step costs more than the
 * step at long contexts. And each layer's c_fc bias and gelu are one `com.microsoft.FastGelu` (the same tanh
 * formula) instead of ten standard ops: onnxruntime pays a dispatch per node, and at batch 1 the small ops
 * cost about as much as the matrix products (~8% of a q4 step measured).
 *
 * - The past comes in head-major, `past_key.{i}` / `past_value.{i}` `[B, NH, Pcap, HS]`: the server's own
 *   slab per layer, fed whole and zero-copy. Row b's cached positions fill its first slots; the slots after
 *   them are free, masked out through `attention_mask` (so rows of different lengths share a batch with no
 *   padding to shift, and a step appends each row's new key at its own length).
 * - Attention reads the slab where it lies: scores against the past and against the new rows are computed
 *   apart and meet in one softmax; then the two halves of the weights multiply the past values and the new
 *   values. No concatenated copy of the cache is built, which the step would otherwise pay for at every layer
 *   (issue 10 item 4: `npm run bench:attention -w training` measures this against the alternatives).
 * - Only the new rows go out: `new_key.{i}` / `new_value.{i}` `[B, NH, T, HS]`.
 * - Only the logits of the positions asked for go out: `logits_positions` `[K]` indexes the T new positions
 *   (negative from the end, as Gather does), and `logits` is `[B * K, V]`, row b * K + k. The server feeds
 *   `[-1]`, so `logits` is `[B, V]` for the last position and prefill never builds `[B, T, V]`; to score a
 *   prompt it feeds every position of a chunk. (An input rather than a second output, so the one `lm_head`
 *   node serves both: whatever a quantizer does to it, scored and sampled logits stay the same numbers.)
 *
 * Inputs `input_ids`, `attention_mask` `[B, Pcap+T]` and `position_ids` mean what they mean in optimum's
 * contract: the mask covers the past's slots, then the new tokens (left padding among new tokens works the
 * same way).
 *
 * `layout: 'time-major'` builds the layout served before (past `[P, B, C]`, new rows `[T, B, C]`, attention
 * over a concatenated copy): folders exported then still carry it and the server still runs it; the bench
 * builds it as the baseline.
 *
 * Shape letters: B batch, T new tokens, P cached tokens, S = P + T, C n_embd, NH heads, HS = C / NH, V vocab.
 */
import type { Gpt2Config, Gpt2Weights } from '../model/gpt2-config.js';
import { OPSET, quantizationMetadata } from './gpt2-decoder.js';
import { GraphBuilder } from './graph-builder.js';
import { checkedHeadDim, gpt2GraphParts, gpt2Opsets, type CachedAttention, type Gpt2GraphOptions } from './gpt2-graph-parts.js';
import { DataType, type ModelProto } from './onnx-proto.js';

/** How the server graph's cache comes in and goes out. */
export type ServerCacheLayout = 'heads' | 'time-major';

export interface Gpt2ServerDecoderOptions extends Gpt2GraphOptions {
  /** Default `heads` (the one the server prefers); `time-major` is the earlier layout. */
  layout?: ServerCacheLayout;
}

export function buildGpt2ServerDecoder(config: Gpt2Config, weights: Gpt2Weights, options: Gpt2ServerDecoderOptions = {}): ModelProto {
  const { nEmbd: C, nHead: NH, nLayer: L, vocabSize: V } = config;
  const HS = checkedHeadDim(config);
  const layout = options.layout ?? 'heads';
  const g = new GraphBuilder('gpt2_server_decoder');

  const inputIds = g.input('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', DataType.INT64, ['batch_size', 'past_sequence_length + sequence_length']);
  const positionIds = g.input('position_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const logitsPositions = g.input('logits_positions', DataType.INT64, ['logits_positions']);
  const pastShape = layout === 'heads' ? ['batch_size', NH, 'past_sequence_length', HS] : ['past_sequence_length', 'batch_size', C];
  const past = Array.from({ length: L }, (_, l) => ({
    key: g.input(`past_key.${l}`, DataType.FLOAT, pastShape),
    value: g.input(`past_value.${l}`, DataType.FLOAT, pastShape),
  }));
  const { layerNorm, toHeads, headsShape, embeddings, head, attend, attentionWeights, block } = gpt2GraphParts(
    g,
    config,
    weights,
    { inputIds, attentionMask, positionIds },
    { fusedGelu: true, ...options },
  );
  const headsInto = (x: string, output: string): string =>
    g.op('Transpose', [g.op('Reshape', [x, headsShape])], { perm: { ints: [0, 2, 1, 3] } }, { output }); // [B, T, C] -> [B, NH, T, HS]
  const transposeLast = (x: string): string => g.op('Transpose', [x], { perm: { ints: [0, 1, 3, 2] } });

  // Attention over the slab as it lies plus the new rows, which alone go out. The weights split back into
  // past and new at [P, T], the same for every layer: computed once (at batch 1 each op's dispatch shows).
  const pastAndNew =
    layout === 'heads'
      ? g.op('Concat', [g.op('Shape', [past[0].key], { start: { i: 2 }, end: { i: 3 } }), g.op('Shape', [inputIds], { start: { i: 1 }, end: { i: 2 } })], { axis: { i: 0 } }, { name: 'past_and_new' })
      : '';
  const slabAttention: CachedAttention = (l, split) => {
    const q = toHeads(split.q); // [B, NH, T, HS]
    const k = headsInto(split.k, `new_key.${l}`);
    const v = headsInto(split.v, `new_value.${l}`);
    const pastScores = g.op('MatMul', [q, transposeLast(past[l].key)]); // [B, NH, T, P]
    const newScores = g.op('MatMul', [q, transposeLast(k)]); // [B, NH, T, T]
    const weights = attentionWeights(g.op('Concat', [pastScores, newScores], { axis: { i: -1 } })); // [B, NH, T, S]
    const [pastWeights, newWeights] = g.ops('Split', [weights, pastAndNew], 2, { axis: { i: -1 } });
    return g.op('Add', [g.op('MatMul', [pastWeights, past[l].value]), g.op('MatMul', [newWeights, v])]); // [B, NH, T, HS]
  };

  // The earlier layout: time-major past, concatenated with the new rows into a copy attention reads.
  const pastToHeads = (x: string): string => g.op('Transpose', [g.op('Reshape', [x, headsShape])], { perm: { ints: [1, 2, 0, 3] } }); // [P, B, C] -> [B, NH, P, HS]
  const timeMajor = (x: string, output: string): string => g.op('Transpose', [x], { perm: { ints: [1, 0, 2] } }, { output }); // [B, T, C] -> [T, B, C]
  const timeMajorAttention: CachedAttention = (l, split) => {
    timeMajor(split.k, `new_key.${l}`);
    timeMajor(split.v, `new_value.${l}`);
    const keys = g.op('Concat', [pastToHeads(past[l].key), toHeads(split.k)], { axis: { i: 2 } }); // [B, NH, S, HS]
    const values = g.op('Concat', [pastToHeads(past[l].value), toHeads(split.v)], { axis: { i: 2 } });
    return attend(toHeads(split.q), keys, values);
  };

  let x = embeddings(); // [B, T, C]
  for (let l = 0; l < L; l++) x = block(x, l, layout === 'heads' ? slabAttention : timeMajorAttention);

  // The positions asked for only, then the head tied to wte.
  const picked = g.op('Gather', [x, logitsPositions], { axis: { i: 1 } }); // [B, K, C]
  const rows = g.op('Reshape', [picked, g.constInt64([-1, C], [2])]); // [B * K, C]
  head(layerNorm(rows, 'ln_f'), 'logits'); // [B * K, V]

  g.output('logits', DataType.FLOAT, ['batch_size * logits_positions', V]);
  const newShape = layout === 'heads' ? ['batch_size', NH, 'sequence_length', HS] : ['sequence_length', 'batch_size', C];
  for (let l = 0; l < L; l++) {
    g.output(`new_key.${l}`, DataType.FLOAT, newShape);
    g.output(`new_value.${l}`, DataType.FLOAT, newShape);
  }
  return g.model(gpt2Opsets(OPSET, { fusedGelu: true, ...options }), { model_type: 'gpt2', mimicbot_contract: 'server', mimicbot_cache_layout: layout, ...quantizationMetadata(options) });
}
