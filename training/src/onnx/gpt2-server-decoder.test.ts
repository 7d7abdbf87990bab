import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { initGpt2Weights } from '../model/init-weights.js';
import { gpt2Forward } from '../model/reference-forward.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { buildGpt2Decoder } from './gpt2-decoder.js';
import { buildGpt2ServerDecoder } from './gpt2-server-decoder.js';
import { encodeModel, type ModelProto } from './onnx-proto.js';
import { maxAbsDiff } from '../model/max-abs-diff.js';

const config = tinyGpt2Config();
const weights = initGpt2Weights(config, 3);
const { nEmbd: C, nHead: NH, vocabSize: V, nLayer: L } = config;
const HS = C / NH;
const i64 = (xs: number[]) => BigInt64Array.from(xs, BigInt);

/** Reference cache [B, NH, S, HS] for batch row b, positions [from, to) -> time-major [to-from, C]. */
function timeMajorRows(cache: Float32Array, B: number, S: number, b: number, from: number, to: number): Float32Array {
  const out = new Float32Array((to - from) * C);
  for (let t = from; t < to; t++) for (let h = 0; h < NH; h++) for (let d = 0; d < HS; d++) out[(t - from) * C + h * HS + d] = cache[((b * NH + h) * S + t) * HS + d];
  return out;
}

/** Reference cache [B, NH, S, HS], batch row b, positions [from, to) -> slots [0, to-from) of row j of a slab [rows, NH, cap, HS]. */
function copyToSlab(cache: Float32Array, S: number, b: number, from: number, to: number, slab: Float32Array, j: number, cap: number): void {
  for (let h = 0; h < NH; h++) slab.set(cache.subarray(((b * NH + h) * S + from) * HS, ((b * NH + h) * S + to) * HS), (j * NH + h) * cap * HS);
}

/** Two prompts, the second left-padded by one among the new tokens ([a b c], [_ d e]), on an empty past of the given shape. */
const TWO = { ids: [10, 20, 30, 0, 40, 50], mask: [1, 1, 1, 0, 1, 1], pos: [0, 1, 2, 0, 0, 1] };
function twoPromptFeeds(emptyPast: number[], logitsPositions: number[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', i64(TWO.ids), [2, 3]),
    attention_mask: new ort.Tensor('int64', i64(TWO.mask), [2, 3]),
    position_ids: new ort.Tensor('int64', i64(TWO.pos), [2, 3]),
    logits_positions: new ort.Tensor('int64', i64(logitsPositions), [logitsPositions.length]),
  };
  for (let l = 0; l < L; l++) feeds[`past_key.${l}`] = feeds[`past_value.${l}`] = new ort.Tensor('float32', new Float32Array(0), emptyPast);
  return feeds;
}
const twoPromptReference = () => gpt2Forward(config, weights, { batchSize: 2, inputIds: TWO.ids, attentionMask: TWO.mask, positionIds: TWO.pos });

/** Prefills the two prompts and checks their last-position logits against the reference forward; returns both runs. */
async function prefillTwoPrompts(session: ort.InferenceSession, emptyPast: number[]) {
  const prefill = await session.run(twoPromptFeeds(emptyPast, [-1]));
  const ref = twoPromptReference();
  expect(prefill.logits.dims).toEqual([2, V]);
  const lastRows = new Float32Array(2 * V);
  lastRows.set(ref.logits.subarray(2 * V, 3 * V), 0);
  lastRows.set(ref.logits.subarray(5 * V, 6 * V), V);
  expect(maxAbsDiff(prefill.logits.data as Float32Array, lastRows)).toBeLessThan(1e-4);
  return { prefill, ref };
}

describe('buildGpt2ServerDecoder', () => {
  it("runs each layer's c_fc bias and gelu as one com.microsoft.FastGelu, where the standard graph keeps standard ops", () => {
    const ops = (model: ModelProto) => model.graph.nodes.map((n) => `${n.domain ?? ''}:${n.opType}`);
    const server = ops(buildGpt2ServerDecoder(config, weights));
    expect(server.filter((op) => op === 'com.microsoft:FastGelu')).toHaveLength(config.nLayer);
    expect(server).not.toContain(':Tanh');
    const standard = ops(buildGpt2Decoder(config, weights));
    expect(standard.some((op) => op.startsWith('com.microsoft:'))).toBe(false);
    expect(standard.filter((op) => op === ':Tanh')).toHaveLength(config.nLayer);
  });

  it('gives the reference logits and new K/V rows in prefill, and in a step over a head-major slab whose rows hold different lengths and free slots', async () => {
    const session = await ort.InferenceSession.create(encodeModel(buildGpt2ServerDecoder(config, weights)).concat());
    const { prefill, ref } = await prefillTwoPrompts(session, [2, NH, 0, HS]);
    // new_key is [B, NH, T, HS]: the reference's own layout.
    for (let l = 0; l < L; l++) {
      expect(prefill[`new_key.${l}`].dims).toEqual([2, NH, 3, HS]);
      expect(maxAbsDiff(prefill[`new_key.${l}`].data as Float32Array, ref.present.key[l])).toBeLessThan(1e-5);
      expect(maxAbsDiff(prefill[`new_value.${l}`].data as Float32Array, ref.present.value[l])).toBeLessThan(1e-5);
    }

    // One step over a slab of 5 slots per row: row 0 holds its 3 positions in slots 0-2, row 1 its 2 real
    // positions in slots 0-1 (no padding before them, unlike the reference's past); the rest are free.
    const cap = 5;
    const step: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', i64([60, 70]), [2, 1]),
      attention_mask: new ort.Tensor('int64', i64([1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1]), [2, cap + 1]),
      position_ids: new ort.Tensor('int64', i64([3, 2]), [2, 1]),
      logits_positions: new ort.Tensor('int64', i64([-1]), [1]),
    };
    for (let l = 0; l < L; l++) {
      for (const [name, cache] of [[`past_key.${l}`, ref.present.key[l]], [`past_value.${l}`, ref.present.value[l]]] as const) {
        const slab = new Float32Array(2 * NH * cap * HS).fill(7); // free slots hold garbage: the mask must hide it
        copyToSlab(cache, 3, 0, 0, 3, slab, 0, cap);
        copyToSlab(cache, 3, 1, 1, 3, slab, 1, cap);
        step[name] = new ort.Tensor('float32', slab, [2, NH, cap, HS]);
      }
    }
    const decoded = await session.run(step);
    const refStep = gpt2Forward(config, weights, { batchSize: 2, inputIds: [60, 70], attentionMask: [1, 1, 1, 1, 0, 1, 1, 1], positionIds: [3, 2], past: ref.present });
    expect(maxAbsDiff(decoded.logits.data as Float32Array, refStep.logits)).toBeLessThan(1e-4);
    expect(decoded['new_value.0'].dims).toEqual([2, NH, 1, HS]);
    for (let l = 0; l < L; l++) {
      const want = new Float32Array(2 * NH * HS);
      for (let b = 0; b < 2; b++) copyToSlab(refStep.present.key[l], 4, b, 3, 4, want, b, 1);
      expect(maxAbsDiff(decoded[`new_key.${l}`].data as Float32Array, want)).toBeLessThan(1e-5);
    }
    await session.release();
  });

  it('builds the earlier time-major layout on request: the reference logits and new rows [T, B, C], in prefill and with a left-padded past', async () => {
    const session = await ort.InferenceSession.create(encodeModel(buildGpt2ServerDecoder(config, weights, { layout: 'time-major' })).concat());
    const { prefill, ref } = await prefillTwoPrompts(session, [0, 2, C]);
    // new_key is [T, B, C]: row (t, b) is the reference's key of batch b at position t.
    for (let l = 0; l < L; l++) {
      const got = prefill[`new_key.${l}`].data as Float32Array;
      for (let b = 0; b < 2; b++) {
        const want = timeMajorRows(ref.present.key[l], 2, 3, b, 0, 3);
        for (let t = 0; t < 3; t++) expect(maxAbsDiff(got.subarray((t * 2 + b) * C, (t * 2 + b + 1) * C), want.subarray(t * C, (t + 1) * C))).toBeLessThan(1e-5);
      }
    }

    // One decode step fed the new rows back as the time-major past [3, 2, C].
    const step: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', i64([60, 70]), [2, 1]),
      attention_mask: new ort.Tensor('int64', i64([1, 1, 1, 1, 0, 1, 1, 1]), [2, 4]),
      position_ids: new ort.Tensor('int64', i64([3, 2]), [2, 1]),
      logits_positions: new ort.Tensor('int64', i64([-1]), [1]),
    };
    for (let l = 0; l < L; l++) {
      step[`past_key.${l}`] = new ort.Tensor('float32', prefill[`new_key.${l}`].data as Float32Array, [3, 2, C]);
      step[`past_value.${l}`] = new ort.Tensor('float32', prefill[`new_value.${l}`].data as Float32Array, [3, 2, C]);
    }
    const decoded = await session.run(step);
    const refStep = gpt2Forward(config, weights, { batchSize: 2, inputIds: [60, 70], attentionMask: [1, 1, 1, 1, 0, 1, 1, 1], positionIds: [3, 2], past: ref.present });
    expect(maxAbsDiff(decoded.logits.data as Float32Array, refStep.logits)).toBeLessThan(1e-4);
    expect(decoded['new_value.0'].dims).toEqual([1, 2, C]);
    await session.release();
  });

  it('gives every asked position its reference logits, row b * K + k, when logits_positions lists them', async () => {
    const session = await ort.InferenceSession.create(encodeModel(buildGpt2ServerDecoder(config, weights)).concat());
    const out = await session.run(twoPromptFeeds([2, NH, 0, HS], [0, 1, 2]));
    const ref = twoPromptReference();
    expect(out.logits.dims).toEqual([6, V]);
    // Row 3 is batch 1's padding position: computed, never read. Every real position matches.
    for (const row of [0, 1, 2, 4, 5]) expect(maxAbsDiff((out.logits.data as Float32Array).subarray(row * V, (row + 1) * V), ref.logits.subarray(row * V, (row + 1) * V))).toBeLessThan(1e-4);
    await session.release();
  });
});
