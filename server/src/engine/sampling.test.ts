import { describe, expect, it } from 'vitest';
import {
  argmax,
  checkSamplingParams,
  createSampler,
  drawFrom,
  kthLargest,
  repetitionPenalty,
  seededRandom,
  softmax,
  temperature,
  topK,
  topP,
} from './sampling.js';
import type { SamplingParams } from './types.js';

const GREEDY: SamplingParams = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
const row = (...xs: number[]) => Float32Array.from(xs);

describe('seededRandom', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = seededRandom(42), b = seededRandom(42), c = seededRandom(43);
    const sa = Array.from({ length: 5 }, a), sb = Array.from({ length: 5 }, b), sc = Array.from({ length: 5 }, c);
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const x of sa) expect(x >= 0 && x < 1).toBe(true);
  });

  it('tells apart seeds that differ only above 2^32', () => {
    expect(seededRandom(1)()).not.toBe(seededRandom(1 + 2 ** 32)());
  });

  it('is roughly uniform', () => {
    const r = seededRandom(7);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) sum += r();
    expect(sum / 10_000).toBeGreaterThan(0.48);
    expect(sum / 10_000).toBeLessThan(0.52);
  });
});

describe('logits processors', () => {
  it('repetition penalty divides positive and multiplies negative logits of seen tokens, once each', () => {
    const logits = row(2, -2, 2, 1);
    repetitionPenalty(2)(logits, [0, 1, 1, 9]);
    expect(Array.from(logits)).toEqual([1, -4, 2, 1]);
  });

  it('temperature divides every logit', () => {
    const logits = row(2, -4);
    temperature(2)(logits, []);
    expect(Array.from(logits)).toEqual([1, -2]);
  });

  it('top-k keeps the k largest and ties with the k-th', () => {
    const logits = row(1, 5, 3, 3, 0);
    topK(2)(logits, []);
    expect(Array.from(logits)).toEqual([-Infinity, 5, 3, 3, -Infinity]);
    const all = row(1, 2);
    topK(0)(all, []);
    expect(Array.from(all)).toEqual([1, 2]);
  });

  it('top-p keeps the smallest prefix of likely tokens whose mass reaches p', () => {
    // probabilities 0.5, 0.25, 0.125, 0.125
    const logits = row(Math.log(0.125), Math.log(0.5), Math.log(0.25), Math.log(0.125));
    topP(0.7)(logits, []);
    expect(Array.from(logits).map(Number.isFinite)).toEqual([false, true, true, false]);
    const one = row(Math.log(0.125), Math.log(0.5), Math.log(0.25), Math.log(0.125));
    topP(0.4)(one, []);
    expect(Array.from(one).map(Number.isFinite)).toEqual([false, true, false, false]);
  });

  it('top-p finds the nucleus in a long flat tail (where the candidate threshold must widen)', () => {
    const logits = new Float32Array(50_000).fill(0);
    logits[3] = 3;
    topP(0.9)(logits, []);
    const kept = Array.from(logits).filter(Number.isFinite).length;
    // token 3 holds e^3/(e^3+49999) ≈ 0.0004; the rest share the mass equally, so ~90% of them are needed
    expect(kept).toBeGreaterThan(44_000);
    expect(kept).toBeLessThan(46_000);
    expect(Number.isFinite(logits[3])).toBe(true);
  });
});

describe('helpers', () => {
  it('argmax takes the lowest index on ties', () => {
    expect(argmax(row(1, 3, 3, 2))).toBe(1);
  });

  it('kthLargest matches a sort', () => {
    const r = seededRandom(3);
    const values = Float32Array.from({ length: 1000 }, () => Math.round(r() * 50));
    const sorted = Array.from(values).sort((a, b) => b - a);
    for (const k of [1, 2, 17, 500, 1000]) expect(kthLargest(values, k)).toBe(sorted[k - 1]);
  });

  it('softmax sums to 1 and gives masked logits 0', () => {
    const p = softmax(row(0, 0, -Infinity));
    expect(Array.from(p)).toEqual([0.5, 0.5, 0]);
  });

  it('drawFrom walks the cumulative distribution and skips zero-probability tokens', () => {
    const p = Float64Array.from([0, 0.25, 0, 0.75]);
    expect(drawFrom(p, 0)).toBe(1);
    expect(drawFrom(p, 0.2499)).toBe(1);
    expect(drawFrom(p, 0.25)).toBe(3);
    expect(drawFrom(p, 0.9999999)).toBe(3);
  });
});

describe('createSampler', () => {
  it('is greedy at temperature 0, after the repetition penalty', () => {
    expect(createSampler(GREEDY).next(row(1, 3, 2), [])).toBe(1);
    expect(createSampler({ ...GREEDY, repetitionPenalty: 2 }).next(row(1, 3, 2), [1])).toBe(2);
  });

  it('with a seed gives the same tokens every time, and different ones for another seed', () => {
    const params: SamplingParams = { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1, seed: 123 };
    const logits = () => new Float32Array(100).fill(0);
    const draw = (seed: number) => {
      const s = createSampler({ ...params, seed });
      return Array.from({ length: 20 }, () => s.next(logits(), []));
    };
    expect(draw(123)).toEqual(draw(123));
    expect(draw(123)).not.toEqual(draw(124));
  });

  it('samples in proportion to the probabilities', () => {
    const s = createSampler({ temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1, seed: 5 });
    const counts = [0, 0];
    for (let i = 0; i < 4000; i++) counts[s.next(row(Math.log(0.2), Math.log(0.8)), [])]++;
    expect(counts[1] / 4000).toBeGreaterThan(0.76);
    expect(counts[1] / 4000).toBeLessThan(0.84);
  });

  it('never samples a token that top-k removed', () => {
    const s = createSampler({ temperature: 1, topK: 2, topP: 1, repetitionPenalty: 1, seed: 9 });
    for (let i = 0; i < 200; i++) expect([1, 2]).toContain(s.next(row(0, 1, 1.5, 0.5), []));
  });

  it('rejects parameters out of range, naming the field', () => {
    expect(() => checkSamplingParams({ ...GREEDY, temperature: -1 })).toThrow(/temperature/);
    expect(() => checkSamplingParams({ ...GREEDY, topP: 0 })).toThrow(/topP/);
    expect(() => checkSamplingParams({ ...GREEDY, topK: 1.5 })).toThrow(/topK/);
    expect(() => checkSamplingParams({ ...GREEDY, repetitionPenalty: 0 })).toThrow(/repetitionPenalty/);
  });
});
