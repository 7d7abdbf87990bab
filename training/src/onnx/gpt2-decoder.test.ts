import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxCausalLm } from '../generate/onnx-causal-lm.js';
import { referenceCausalLm, type CausalLm } from '../generate/causal-lm.js';
import { generate } from '../generate/generate.js';
import { leftPad } from '../generate/left-pad.js';
import { tinyTestModel } from '@mimicbot/training/testing';
import type { ForwardInputs, ForwardOutputs } from '../model/reference-forward.js';
import { buildGpt2Decoder } from './gpt2-decoder.js';
import { encodeModel } from './onnx-proto.js';
import { writeOnnxModel } from './write-onnx-model.js';
import { maxAbsDiff } from '../model/max-abs-diff.js';

const { config, weights } = tinyTestModel(7);
const reference = referenceCausalLm(config, weights);
let onnx: OnnxCausalLm;

/** Runs both models on the same inputs, each with its own cache, and checks logits and present agree. */
async function expectSameStep(inputs: Omit<ForwardInputs, 'past'>, pasts: { ref?: ForwardOutputs; onnx?: ForwardOutputs }) {
  const ref = await reference.forward({ ...inputs, past: pasts.ref?.present });
  const got = await onnx.forward({ ...inputs, past: pasts.onnx?.present });
  expect(got.logits.every(Number.isFinite)).toBe(true);
  expect(maxAbsDiff(got.logits, ref.logits)).toBeLessThan(1e-4);
  for (let l = 0; l < config.nLayer; l++) {
    expect(maxAbsDiff(got.present.key[l], ref.present.key[l])).toBeLessThan(1e-4);
    expect(maxAbsDiff(got.present.value[l], ref.present.value[l])).toBeLessThan(1e-4);
  }
  return { ref, onnx: got };
}

beforeAll(async () => {
  onnx = await OnnxCausalLm.load(encodeModel(buildGpt2Decoder(config, weights)).concat(), config);
});

describe('the GPT-2 decoder graph agrees with the reference forward', () => {
  it('on a prompt from an empty past', async () => {
    const ids = [72, 101, 108, 108, 111, 32, 119];
    await expectSameStep({ batchSize: 1, inputIds: ids, attentionMask: ids.map(() => 1), positionIds: ids.map((_, i) => i) }, {});
  });

  it('on a prompt then three cached single-token steps', async () => {
    const ids = [10, 20, 30, 40];
    let outs = await expectSameStep({ batchSize: 1, inputIds: ids, attentionMask: [1, 1, 1, 1], positionIds: [0, 1, 2, 3] }, {});
    for (const [n, token] of [50, 60, 70].entries()) {
      const S = ids.length + n + 1;
      outs = await expectSameStep({ batchSize: 1, inputIds: [token], attentionMask: Array(S).fill(1), positionIds: [S - 1] }, outs);
      expect(outs.onnx.present.length).toBe(S);
    }
  });

  it('on a batch of two left-padded prompts of different lengths, with cached steps after', async () => {
    const batch = leftPad([[1, 2, 3, 4, 5, 6], [7, 8, 9]], 256);
    expect(batch.attentionMask).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1]);
    let outs = await expectSameStep(batch, {});
    // The padded row must see what it would see alone: same logits for its real tokens.
    const alone = await reference.forward({ batchSize: 1, inputIds: [7, 8, 9], attentionMask: [1, 1, 1], positionIds: [0, 1, 2] });
    const V = config.vocabSize;
    const lastOfRow1 = outs.onnx.logits.subarray((1 * 6 + 5) * V, (1 * 6 + 6) * V);
    expect(maxAbsDiff(lastOfRow1, alone.logits.subarray(2 * V, 3 * V))).toBeLessThan(1e-4);
    let mask = batch.attentionMask;
    for (const [n, tokens] of [[11, 12], [13, 14]].entries()) {
      mask = [...mask.slice(0, 6 + n), 1, ...mask.slice(6 + n), 1];
      outs = await expectSameStep({ batchSize: 2, inputIds: tokens, attentionMask: mask, positionIds: [6 + n, 3 + n] }, outs);
    }
  });

  it('and greedy continuations match token for token, single and batched', async () => {
    const prompts = [[72, 105, 33], [1, 2, 3, 4, 5, 6, 7]];
    const run = (lm: CausalLm) => generate(lm, prompts, { maxNewTokens: 12 });
    const [fromRef, fromOnnx] = [await run(reference), await run(onnx)];
    expect(fromOnnx).toEqual(fromRef);
    expect(new Set(fromRef[0]).size).toBeGreaterThan(1); // not a degenerate constant stream
    expect(await generate(onnx, [prompts[0]], { maxNewTokens: 12 })).toEqual([fromRef[0]]);
  });
});

describe('server-shaped variant', () => {
  it('returns only the last position logits, equal to the full graph there', async () => {
    const lastOnly = await OnnxCausalLm.load(encodeModel(buildGpt2Decoder(config, weights, { lastPositionLogitsOnly: true })).concat(), config);
    const batch = leftPad([[5, 6, 7, 8], [9, 10]], 256);
    const full = await onnx.forward(batch);
    const last = await lastOnly.forward(batch);
    const V = config.vocabSize;
    expect(last.logits.length).toBe(2 * V);
    for (const b of [0, 1]) expect(maxAbsDiff(last.logits.subarray(b * V, (b + 1) * V), full.logits.subarray((b * 4 + 3) * V, (b * 4 + 4) * V))).toBe(0);
    await lastOnly.release();
  });
});

describe('writeOnnxModel', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpt2-decoder-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes weights to model.onnx_data past the threshold, and onnxruntime loads them from the path', async () => {
    const path = join(dir, 'model.onnx');
    const progress: number[] = [];
    const written = await writeOnnxModel(path, buildGpt2Decoder(config, weights), { externalDataThresholdBytes: 0, onProgress: (w) => progress.push(w) });
    expect(written.externalData).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['model.onnx', 'model.onnx_data']);
    expect((await stat(path)).size).toBeLessThan(64 * 1024); // the weights are not inside
    expect(progress.at(-1)).toBe(written.bytes);
    const external = await OnnxCausalLm.load(path, config);
    const inputs = { batchSize: 1, inputIds: [3, 1, 4], attentionMask: [1, 1, 1], positionIds: [0, 1, 2] };
    expect(maxAbsDiff((await external.forward(inputs)).logits, (await onnx.forward(inputs)).logits)).toBe(0);
    await external.release();
  });

  it('keeps small models in one file by default', async () => {
    const path = join(dir, 'inline.onnx');
    const written = await writeOnnxModel(path, buildGpt2Decoder(config, weights));
    expect(written).toMatchObject({ externalData: false, files: [path] });
    expect((await stat(path)).size).toBe(written.bytes);
  });
});
