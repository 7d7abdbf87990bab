import { describe, expect, it } from 'vitest';
import { argmax, drawFrom, kthLargest, softmax } from './distribution.js';
import { seededRandom } from './random.js';

const row = (...xs: number[]) => Float32Array.from(xs);

describe('distribution helpers', () => {
  it('argmax takes the lowest index on ties', () => {
    expect(argmax(row(1, 3, 3, 2))).toBe(1);
    expect(argmax([1, 3, 2, 3, -1])).toBe(1);
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
