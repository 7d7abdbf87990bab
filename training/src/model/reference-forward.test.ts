import { describe, expect, it } from 'vitest';
import { initGpt2Weights } from './init-weights.js';
import { gpt2Forward, layernormForward, matmulForward, geluForward } from './reference-forward.js';
import { tinyGpt2Config } from './tiny-config.js';
import { maxAbsDiff } from './max-abs-diff.js';

const config = tinyGpt2Config();
const weights = initGpt2Weights(config, 3);
const V = config.vocabSize;

describe('reference forward kernels', () => {
  it('layernorm normalises each row and applies weight and bias', () => {
    const out = new Float32Array(3);
    layernormForward(out, Float32Array.from([1, 2, 3]), Float32Array.from([1, 1, 2]), Float32Array.from([0, 1, 0]), 1, 3, 0);
    const r = Math.sqrt(1.5); // (x - 2) / sqrt(2/3)
    expect(Array.from(out).map((x) => +x.toFixed(5))).toEqual([-r, 1, 2 * r].map((x) => +x.toFixed(5)));
  });

  it('matmul uses the Conv1D layout [in, out] and adds the bias', () => {
    const out = new Float32Array(2);
    // [1, 2] @ [[1, 2], [3, 4]] + [10, 20] = [17, 30]
    matmulForward(out, Float32Array.from([1, 2]), Float32Array.from([1, 2, 3, 4]), Float32Array.from([10, 20]), 1, 2, 2);
    expect(Array.from(out)).toEqual([17, 30]);
  });

  it('gelu is the tanh approximation (gelu_new), matching torch values', () => {
    const out = new Float32Array(3);
    geluForward(out, Float32Array.from([-1, 0, 2]), 3);
    expect(Array.from(out).map((x) => +x.toFixed(6))).toEqual([-0.158808, 0, 1.954598]);
  });
});

describe('gpt2Forward', () => {
  const ids = [5, 9, 200, 31, 7];
  const full = gpt2Forward(config, weights, { batchSize: 1, inputIds: ids, attentionMask: [1, 1, 1, 1, 1], positionIds: [0, 1, 2, 3, 4] });

  it('is causal: a prefix gets the same logits whatever follows it', () => {
    const prefix = gpt2Forward(config, weights, { batchSize: 1, inputIds: ids.slice(0, 3), attentionMask: [1, 1, 1], positionIds: [0, 1, 2] });
    expect(maxAbsDiff(prefix.logits, full.logits.subarray(0, 3 * V))).toBeLessThan(1e-6);
  });

  it('with a cache gives the logits of a full recompute', () => {
    const first = gpt2Forward(config, weights, { batchSize: 1, inputIds: ids.slice(0, 3), attentionMask: [1, 1, 1], positionIds: [0, 1, 2] });
    const rest = gpt2Forward(config, weights, { batchSize: 1, inputIds: ids.slice(3), attentionMask: [1, 1, 1, 1, 1], positionIds: [3, 4], past: first.present });
    expect(rest.present.length).toBe(5);
    expect(maxAbsDiff(rest.logits, full.logits.subarray(3 * V))).toBeLessThan(1e-6);
    expect(maxAbsDiff(rest.present.key[1], full.present.key[1])).toBeLessThan(1e-6);
  });

  it('ignores left padding through the mask and position ids, and stays finite on padded rows', () => {
    const padded = gpt2Forward(config, weights, {
      batchSize: 2,
      inputIds: [...ids, 0, 0, ...ids.slice(0, 3)],
      attentionMask: [1, 1, 1, 1, 1, 0, 0, 1, 1, 1],
      positionIds: [0, 1, 2, 3, 4, 1, 1, 0, 1, 2],
    });
    expect(padded.logits.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(padded.logits.subarray(0, 5 * V), full.logits)).toBeLessThan(1e-6);
    expect(maxAbsDiff(padded.logits.subarray(7 * V), full.logits.subarray(0, 3 * V))).toBeLessThan(1e-6);
  });

  it('rejects a mask of the wrong length', () => {
    expect(() => gpt2Forward(config, weights, { batchSize: 1, inputIds: [1, 2], attentionMask: [1], positionIds: [0, 1] })).toThrow(/attentionMask must be/);
  });
});

describe('gpt2Forward input checks', () => {
  it('rejects token and position ids outside the tables', () => {
    expect(() => gpt2Forward(config, weights, { batchSize: 1, inputIds: [V], attentionMask: [1], positionIds: [0] })).toThrow(/outside the vocabulary/);
    expect(() => gpt2Forward(config, weights, { batchSize: 1, inputIds: [1], attentionMask: [1], positionIds: [config.nPositions] })).toThrow(/position id 64/);
  });
});
