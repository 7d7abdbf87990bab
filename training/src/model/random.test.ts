import { describe, expect, it } from 'vitest';
import { SeededRandom, seedFor } from './random.js';

describe('SeededRandom', () => {
  it('fillNormal draws the same deviates as nextNormal, whatever the length', () => {
    for (const length of [0, 1, 2, 7]) {
      const one = new SeededRandom(5);
      const expected = Float32Array.from({ length: length + 3 }, () => one.nextNormal() * 2);
      const filled = new SeededRandom(5);
      const got = new Float32Array(length + 3);
      filled.fillNormal(got.subarray(0, length), 2);
      for (let i = length; i < length + 3; i++) got[i] = filled.nextNormal() * 2; // the stream continues where it stopped
      expect(got).toEqual(expected);
    }
  });

  it('has mean 0 and standard deviation 1', () => {
    const a = new SeededRandom(1).fillNormal(new Float32Array(100_000), 1);
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    const sd = Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sd - 1)).toBeLessThan(0.01);
  });

  it('gives uniform floats in [0, 1) and different streams for different names', () => {
    const r = new SeededRandom(3);
    for (let i = 0; i < 1000; i++) {
      const x = r.nextFloat();
      expect(x >= 0 && x < 1).toBe(true);
    }
    expect(seedFor(1, 'h.0.attn.c_attn.weight')).not.toBe(seedFor(1, 'h.1.attn.c_attn.weight'));
  });
});
