/**
 * The GPT-2 decoder with a KV cache as an ONNX graph, with exactly the inputs and outputs of a Hugging
 * Face optimum `text-generation-with-past` export (docs/contracts.md), so transformers.js and our server
 * run it alike. Standard ops only (opset 17), so stock onnxruntime-node runs it.
 *
 * Shape letters: B batch, T new tokens, P cached tokens, S = P + T, C n_embd, NH heads, HS = C / NH, V vocab.
 * Weights are referenced, not copied: the model's initializers point at the Float32Arrays given.
 */
import type { Gpt2Config, Gpt2Weights } from '../model/gpt2-config.js';
import { GraphBuilder } from './graph-builder.js';
import { checkedHeadDim, gpt2GraphParts, gpt2Opsets, type Gpt2GraphOptions, type CachedAttention } from './gpt2-graph-parts.js';
import { DataType, type ModelProto } from './onnx-proto.js';
import { describeQuantizeSpec } from './quantize/quantize-weights.js';

export const OPSET = 17;

export interface Gpt2DecoderOptions extends Gpt2GraphOptions {
  /**
   * Only the last position's logits ([B, 1, V]) instead of every position's: what a server needs, and
   * it saves the [B, T, V] head in prefill. Not the optimum contract, so model folders leave it off.
   */
  lastPositionLogitsOnly?: boolean;
}

/** What a quantized graph says about itself in its metadata, so a reader can tell how it was made. */
export function quantizationMetadata(options: Gpt2GraphOptions): Record<string, string> {
  return options.quantized ? { mimicbot_quantization: describeQuantizeSpec(options.quantized.spec) } : {};
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
  const { nEmbd: C, nHead: NH, nLayer: L, vocabSize: V } = config;
  const HS = checkedHeadDim(config);
  const g = new GraphBuilder('gpt2_decoder_with_past');

  // Inputs, with optimum's symbolic dimension names.
  const kvShape = ['batch_size', NH, 'past_sequence_length', HS];
  const inputIds = g.input('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', DataType.INT64, ['batch_size', 'past_sequence_length + sequence_length']);
  const positionIds = g.input('position_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const past: { key: string; value: string }[] = [];
  for (let l = 0; l < L; l++) {
    past.push({ key: g.input(pastKeyName(l), DataType.FLOAT, kvShape), value: g.input(pastValueName(l), DataType.FLOAT, kvShape) });
  }
  const { layerNorm, toHeads, embeddings, head, attend, block } = gpt2GraphParts(g, config, weights, { inputIds, attentionMask, positionIds }, options);

  // The cache goes out whole: present = past ++ new, [B, NH, S, HS].
  const presentCache: CachedAttention = (l, split) => {
    const [q, k, v] = [split.q, split.k, split.v].map(toHeads); // [B, NH, T, HS]
    const keys = g.op('Concat', [past[l].key, k], { axis: { i: 2 } }, { output: presentKeyName(l) }); // [B, NH, S, HS]
    const values = g.op('Concat', [past[l].value, v], { axis: { i: 2 } }, { output: presentValueName(l) });
    return attend(q, keys, values);
  };

  let x = embeddings(); // [B, T, C]
  for (let l = 0; l < L; l++) x = block(x, l, presentCache);

  // Head tied to wte: logits = ln_f(x) @ wte^T.
  let final = layerNorm(x, 'ln_f'); // [B, T, C]
  if (options.lastPositionLogitsOnly) final = g.op('Gather', [final, g.constInt64([-1])], { axis: { i: 1 } }); // [B, 1, C]
  const flat = g.op('Reshape', [final, g.constInt64([-1, C])]); // [B*T, C]
  const batch = g.op('Shape', [inputIds], { start: { i: 0 }, end: { i: 1 } });
  const logitsShape = g.op('Concat', [batch, g.constInt64([-1, V])], { axis: { i: 0 } });
  g.op('Reshape', [head(flat), logitsShape], {}, { output: 'logits' }); // [B*T, V] -> [B, T, V]

  g.output('logits', DataType.FLOAT, ['batch_size', options.lastPositionLogitsOnly ? 1 : 'sequence_length', V]);
  const presentShape = ['batch_size', NH, 'past_sequence_length + sequence_length', HS];
  for (let l = 0; l < L; l++) {
    g.output(presentKeyName(l), DataType.FLOAT, presentShape);
    g.output(presentValueName(l), DataType.FLOAT, presentShape);
  }
  return g.model(gpt2Opsets(OPSET, options), { model_type: 'gpt2', ...quantizationMetadata(options) });
}
