import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { referenceCausalLm } from '../../generate/causal-lm.js';
import { OnnxCausalLm } from '../../generate/onnx-causal-lm.js';
import type { Gpt2Weights } from '../../model/gpt2-config.js';
import { maxAbsDiff } from '../../model/max-abs-diff.js';
import { tinyTestModel } from '@mimicbot/training/testing';
import { buildGpt2Decoder } from '../gpt2-decoder.js';
import { buildGpt2ServerDecoder } from '../gpt2-server-decoder.js';
import { encodeModel, type ModelProto } from '../onnx-proto.js';
import { dequantizeRows } from './block-quantize.js';
import { HEAD_WEIGHT, quantizeGpt2Weights, type QuantizedGpt2Weights, type QuantizeSpec } from './quantize-weights.js';

// n_embd 48 with blocks of 32: every K (48, 192) ends in a padded block, the case that hides packing bugs.
const { config, weights } = tinyTestModel(5, { nEmbd: 48, nHead: 2 });

/** The fp32 weights the quantized graph stands for: each quantized matrix dequantized, back in its own layout. */
function dequantizedWeights(fp32: Gpt2Weights, q: QuantizedGpt2Weights): Gpt2Weights {
  const out = new Map(fp32);
  for (const [name, m] of q.tensors) {
    const rows = dequantizeRows(m); // [N, K]
    if (name === HEAD_WEIGHT) {
      out.set(name, rows); // wte is [V, C] = [N, K] already
      continue;
    }
    const conv = new Float32Array(m.K * m.N); // Conv1D [K, N]
    for (let n = 0; n < m.N; n++) for (let k = 0; k < m.K; k++) conv[k * m.N + n] = rows[n * m.K + k];
    out.set(name, conv);
  }
  expect(out.size).toBe(fp32.size);
  return out;
}

const ids = [72, 101, 108, 108, 111, 32, 119];
const prompt = { batchSize: 1, inputIds: ids, attentionMask: ids.map(() => 1), positionIds: ids.map((_, i) => i) };

/**
 * The reference forward ties the head to the embedding, so the graph checked against it looks the embedding up
 * in the head's own table (at 4 bits the real graphs use a separate 8-bit table; see the test below).
 */
function tiedTables(quantized: QuantizedGpt2Weights): QuantizedGpt2Weights {
  return { ...quantized, embedding: quantized.tensors.get(HEAD_WEIGHT) };
}

async function expectGraphIsDequantizedModel(spec: QuantizeSpec) {
  const quantized = tiedTables(quantizeGpt2Weights(config, weights, spec));
  const reference = referenceCausalLm(config, dequantizedWeights(weights, quantized));
  const onnx = await OnnxCausalLm.load(encodeModel(buildGpt2Decoder(config, weights, { quantized })).concat(), config);
  // Prefill, then a cached step: logits and the cache both.
  const want = await reference.forward(prompt);
  const got = await onnx.forward(prompt);
  expect(maxAbsDiff(got.logits, want.logits)).toBeLessThan(1e-3);
  const step = { batchSize: 1, inputIds: [33], attentionMask: [...prompt.attentionMask, 1], positionIds: [ids.length] };
  const wantStep = await reference.forward({ ...step, past: want.present });
  const gotStep = await onnx.forward({ ...step, past: got.present });
  expect(maxAbsDiff(gotStep.logits, wantStep.logits)).toBeLessThan(1e-3);
  expect(maxAbsDiff(gotStep.present.value[1], wantStep.present.value[1])).toBeLessThan(1e-3);
  // And it is not the fp32 model: quantization moved the logits.
  const fp32 = await referenceCausalLm(config, weights).forward(prompt);
  expect(maxAbsDiff(got.logits, fp32.logits)).toBeGreaterThan(1e-3);
  await onnx.release();
}

function opTypes(model: ModelProto): string[] {
  return model.graph.nodes.map((n) => n.opType);
}

describe('quantized GPT-2 graphs', () => {
  // accuracy_level 0 makes MatMulNBits compute in fp32, so the graph must equal the reference forward run
  // on the dequantized weights: this pins the packing, the transposes, the tied head and the embedding lookup.
  it.each([
    { bits: 4, symmetric: true },
    { bits: 4, symmetric: false },
    { bits: 8, symmetric: true },
    { bits: 8, symmetric: false },
  ] as const)('the $bits-bit optimum graph (symmetric $symmetric) is GPT-2 on the dequantized weights', async ({ bits, symmetric }) => {
    await expectGraphIsDequantizedModel({ bits, symmetric, blockSize: 32, keepHead: false, accuracyLevel: 0 });
  });

  it('with keepHead the head and the embedding stay fp32 (Gemm and Gather on wte)', async () => {
    const spec: QuantizeSpec = { bits: 4, symmetric: true, blockSize: 16, keepHead: true, accuracyLevel: 0 };
    await expectGraphIsDequantizedModel(spec);
    const model = buildGpt2Decoder(config, weights, { quantized: quantizeGpt2Weights(config, weights, spec) });
    expect(opTypes(model)).toContain('Gemm');
    expect(opTypes(model)).not.toContain('GatherBlockQuantized');
    expect(model.graph.initializers.some((t) => t.name === 'wte.weight')).toBe(true);
  });

  it('at 8 bits the embedding is looked up in the head\'s own packed bytes, and no fp32 wte is kept', () => {
    const model = buildGpt2Decoder(config, weights, { quantized: quantizeGpt2Weights(config, weights, { bits: 8, symmetric: true, blockSize: 32, keepHead: false }) });
    expect(model.graph.initializers.some((t) => t.name === 'wte.weight')).toBe(false);
    const gather = model.graph.nodes.find((n) => n.opType === 'GatherBlockQuantized');
    const head = model.graph.nodes.find((n) => n.name === 'lm_head');
    expect(head?.opType).toBe('MatMulNBits');
    expect(gather?.inputs[0]).toBe(head?.inputs[1]);
  });

  it('at 4 bits the embedding gets its own 8-bit table of wte, and the graph looks tokens up in it', async () => {
    const quantized = quantizeGpt2Weights(config, weights, { bits: 4, symmetric: false, blockSize: 32, keepHead: false, accuracyLevel: 0 });
    const table = quantized.embedding;
    if (!table) throw new Error('no embedding table');
    expect(table.bits).toBe(8);
    expect(quantized.tensors.get(HEAD_WEIGHT)?.bits).toBe(4);
    const model = buildGpt2Decoder(config, weights, { quantized });
    const gather = model.graph.nodes.find((n) => n.opType === 'GatherBlockQuantized');
    expect(gather?.inputs[0]).toBe('wte.embedding.qdata');
    expect(gather?.attributes?.bits).toEqual({ i: 8 });
    // The K/V cache depends on the embedding and the layers but not on the head, so the reference run with
    // wte = the dequantized 8-bit table must give the graph's cache exactly.
    const reference = dequantizedWeights(weights, { ...quantized, tensors: new Map([...quantized.tensors].filter(([name]) => name !== HEAD_WEIGHT)) });
    reference.set(HEAD_WEIGHT, dequantizeRows(table));
    const want = await referenceCausalLm(config, reference).forward(prompt);
    const lm = await OnnxCausalLm.load(encodeModel(model).concat(), config);
    const got = await lm.forward(prompt);
    for (let l = 0; l < config.nLayer; l++) expect(maxAbsDiff(got.present.key[l], want.present.key[l])).toBeLessThan(1e-4);
    await lm.release();
  });

  it('a q4 model with an 8-bit head looks the embedding up in the head\'s own table', () => {
    const quantized = quantizeGpt2Weights(config, weights, { bits: 4, symmetric: false, blockSize: 32, keepHead: false, headBits: 8 });
    expect(quantized.tensors.get(HEAD_WEIGHT)?.bits).toBe(8);
    expect(quantized.tensors.get('h.0.mlp.c_fc.weight')?.bits).toBe(4);
    expect(quantized.embedding).toBe(quantized.tensors.get(HEAD_WEIGHT));
    const model = buildGpt2Decoder(config, weights, { quantized });
    const gather = model.graph.nodes.find((n) => n.opType === 'GatherBlockQuantized');
    expect(gather?.inputs[0]).toBe(model.graph.nodes.find((n) => n.name === 'lm_head')?.inputs[1]);
    expect(model.graph.initializers.some((t) => t.name === 'wte.embedding.qdata')).toBe(false);
  });

  it('a quantized model multiplies no weight in fp32', () => {
    const model = buildGpt2Decoder(config, weights, { quantized: quantizeGpt2Weights(config, weights, { bits: 4, symmetric: true, blockSize: 32, keepHead: false }) });
    expect(model.graph.initializers.some((t) => t.name === 'wte.weight')).toBe(false);
    expect(opTypes(model).filter((t) => t === 'MatMulNBits')).toHaveLength(4 * config.nLayer + 1);
    const initializers = new Set(model.graph.initializers.map((t) => t.name));
    const fp32Products = model.graph.nodes.filter((n) => (n.opType === 'MatMul' || n.opType === 'Gemm') && n.inputs.some((i) => initializers.has(i)));
    expect(fp32Products).toEqual([]); // attention's activation MatMuls remain; no weight is multiplied in fp32
    expect(model.metadata?.mimicbot_quantization).toBe('q4 block 32 symmetric, head q4');
  });

  it('the server graph gives the optimum graph\'s last-position logits at accuracy_level 4', async () => {
    const quantized = quantizeGpt2Weights(config, weights, { bits: 4, symmetric: false, blockSize: 32, keepHead: false });
    const standard = await OnnxCausalLm.load(encodeModel(buildGpt2Decoder(config, weights, { quantized })).concat(), config);
    const want = (await standard.forward(prompt)).logits.subarray((ids.length - 1) * config.vocabSize);
    const server = await ort.InferenceSession.create(encodeModel(buildGpt2ServerDecoder(config, weights, { quantized })).concat());
    const i64 = (xs: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs, BigInt), [1, xs.length]);
    const feeds: Record<string, ort.Tensor> = { input_ids: i64(ids), attention_mask: i64(prompt.attentionMask), position_ids: i64(prompt.positionIds), logits_positions: new ort.Tensor('int64', BigInt64Array.from([-1n]), [1]) };
    for (let l = 0; l < config.nLayer; l++) feeds[`past_key.${l}`] = feeds[`past_value.${l}`] = new ort.Tensor('float32', new Float32Array(0), [1, config.nHead, 0, config.nEmbd / config.nHead]);
    const got = (await server.run(feeds)).logits.data as Float32Array;
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
    await server.release();
    await standard.release();
  });
});
