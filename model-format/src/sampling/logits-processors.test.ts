import { describe, expect, it } from 'vitest';
import { repetitionPenalty, temperature, topK, topP } from './logits-processors.js';

const row = (...xs: number[]) => Float32Array.from(xs);

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
