import { describe, expect, it } from 'vitest';
import { referenceCausalLm } from '../generate/causal-lm.js';
import { OnnxCausalLm } from '../generate/onnx-causal-lm.js';
import { tinyTestModel } from '@mimicbot/training/testing';
import { gpt2Forward } from '../model/reference-forward.js';
import { buildGpt2Decoder } from '../onnx/gpt2-decoder.js';
import { encodeModel } from '../onnx/onnx-proto.js';
import { scoreStream } from './score-text.js';
import { scoreRow } from './text-score.js';

const { config, weights } = tinyTestModel(9);
const stream = Int32Array.from({ length: 150 }, (_, i) => (i * 37 + 11) % 256); // longer than the 64-token context

describe('scoreStream', () => {
  it('sums each token\'s loss given the tokens before it in its window (checked against one forward per window)', async () => {
    const window = 40;
    const got = await scoreStream(referenceCausalLm(config, weights), stream, window);
    let nats = 0;
    for (let start = 0; start < stream.length - 1; start += window) {
      const ids = Array.from(stream.subarray(start, Math.min(start + window, stream.length - 1)));
      const { logits } = gpt2Forward(config, weights, { batchSize: 1, inputIds: ids, attentionMask: ids.map(() => 1), positionIds: ids.map((_, i) => i) });
      for (let t = 0; t < ids.length; t++) nats += scoreRow(logits.subarray(t * config.vocabSize, (t + 1) * config.vocabSize), stream[start + t + 1]).nats;
    }
    expect(got.tokens).toBe(stream.length - 1);
    expect(got.nats).toBeCloseTo(nats, 6);
  });

  it('gives the same score on onnxruntime as on the reference forward', async () => {
    const onnx = await OnnxCausalLm.load(encodeModel(buildGpt2Decoder(config, weights)).concat(), config);
    const a = await scoreStream(onnx, stream, config.nPositions);
    const b = await scoreStream(referenceCausalLm(config, weights), stream, config.nPositions);
    expect(Math.abs(a.nats - b.nats) / b.nats).toBeLessThan(1e-5);
    expect(a.argmax).toEqual(b.argmax);
    await onnx.release();
  });
});
