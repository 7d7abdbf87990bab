/**
 * The GPT-2 decoder shaped for the inference server (`server/src/engine/`), written beside the standard
 * `model.onnx` as `server_decoder.onnx` (SERVER_DECODER_FILE in @mimicbot/model-format's graph table).
 * Same math as `buildGpt2Decoder`; only the cache I/O differs, because onnxruntime-node copies every output
 * into a fresh buffer (onnx.md §3.3, §3.7): returning the whole `present` cache each step costs more than the
 * step at long contexts.
 *
 * - The past comes in time-major, `past_key.{i}` / `past_value.{i}` `[P, B, C]`, so the server keeps one slab
 *   per layer `[Tmax, B, C]`, feeds its first P rows as a zero-copy view and appends a step's rows in place.
 * - Only the new rows go out: `new_key.{i}` / `new_value.{i}` `[T, B, C]`.
 * - Only the logits of the positions asked for go out: `logits_positions` `[K]` indexes the T new positions
 *   (negative from the end, as Gather does), and `logits` is `[B * K, V]`, row b * K + k. The server feeds
 *   `[-1]`, so `logits` is `[B, V]` for the last position and prefill never builds `[B, T, V]`; to score a
 *   prompt it feeds every position of a chunk. (An input rather than a second output, so the one `lm_head`
 *   node serves both: whatever a quantizer does to it, scored and sampled logits stay the same numbers.)
 *
 * Inputs `input_ids`, `attention_mask` `[B, P+T]` and `position_ids` mean what they mean in optimum's
 * contract, so left padding works the same way.
 * Shape letters: B batch, T new tokens, P cached tokens, S = P + T, C n_embd, NH heads, HS = C / NH, V vocab.
 */
import type { Gpt2Config, Gpt2Weights } from '../model/gpt2-config.js';
import { OPSET, quantizationMetadata } from './gpt2-decoder.js';
import { GraphBuilder } from './graph-builder.js';
import { gpt2GraphParts, gpt2Opsets, type Gpt2GraphOptions, type KvCache } from './gpt2-graph-parts.js';
import { DataType, type ModelProto } from './onnx-proto.js';

export function buildGpt2ServerDecoder(config: Gpt2Config, weights: Gpt2Weights, options: Gpt2GraphOptions = {}): ModelProto {
  const { nEmbd: C, nLayer: L, vocabSize: V } = config;
  const g = new GraphBuilder('gpt2_server_decoder');

  const inputIds = g.input('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', DataType.INT64, ['batch_size', 'past_sequence_length + sequence_length']);
  const positionIds = g.input('position_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const logitsPositions = g.input('logits_positions', DataType.INT64, ['logits_positions']);
  const pastShape = ['past_sequence_length', 'batch_size', C];
  const past = Array.from({ length: L }, (_, l) => ({
    key: g.input(`past_key.${l}`, DataType.FLOAT, pastShape),
    value: g.input(`past_value.${l}`, DataType.FLOAT, pastShape),
  }));
  const { layerNorm, toHeads, headsShape, embeddings, head, block } = gpt2GraphParts(g, config, weights, { inputIds, attentionMask, positionIds }, options);

  const pastToHeads = (x: string): string => g.op('Transpose', [g.op('Reshape', [x, headsShape])], { perm: { ints: [1, 2, 0, 3] } }); // [P, B, C] -> [B, NH, P, HS]
  const timeMajor = (x: string, output: string): string => g.op('Transpose', [x], { perm: { ints: [1, 0, 2] } }, { output }); // [B, T, C] -> [T, B, C]

  // Only the new rows go out, time-major; attention still sees past ++ new.
  const slabCache: KvCache = (l, split) => {
    timeMajor(split.k, `new_key.${l}`);
    timeMajor(split.v, `new_value.${l}`);
    const q = toHeads(split.q);
    const keys = g.op('Concat', [pastToHeads(past[l].key), toHeads(split.k)], { axis: { i: 2 } }); // [B, NH, S, HS]
    const values = g.op('Concat', [pastToHeads(past[l].value), toHeads(split.v)], { axis: { i: 2 } });
    return { q, keys, values };
  };

  let x = embeddings(); // [B, T, C]
  for (let l = 0; l < L; l++) x = block(x, l, slabCache);

  // The positions asked for only, then the head tied to wte.
  const picked = g.op('Gather', [x, logitsPositions], { axis: { i: 1 } }); // [B, K, C]
  const rows = g.op('Reshape', [picked, g.constInt64([-1, C], [2])]); // [B * K, C]
  head(layerNorm(rows, 'ln_f'), 'logits'); // [B * K, V]

  g.output('logits', DataType.FLOAT, ['batch_size * logits_positions', V]);
  for (let l = 0; l < L; l++) {
    g.output(`new_key.${l}`, DataType.FLOAT, ['sequence_length', 'batch_size', C]);
    g.output(`new_value.${l}`, DataType.FLOAT, ['sequence_length', 'batch_size', C]);
  }
  return g.model(gpt2Opsets(OPSET, options), { model_type: 'gpt2', mimicbot_contract: 'server', ...quantizationMetadata(options) });
}
