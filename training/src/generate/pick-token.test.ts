import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../model/random.js';
import { argmax, pickToken } from './pick-token.js';

const logits = Float32Array.from([1, 3, 2, 3, -1]);

describe('pickToken', () => {
  it('is argmax at temperature 0, taking the first of equal maxima', () => {
    expect(argmax(logits)).toBe(1);
    expect(pickToken(logits, { temperature: 0 }, new SeededRandom(1))).toBe(1);
  });

  it('samples only among the top k', () => {
    const random = new SeededRandom(9);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(pickToken(logits, { temperature: 5, topK: 2 }, random));
    expect([...seen].sort()).toEqual([1, 3]);
  });

  it('follows softmax(logits / T) in frequency', () => {
    const random = new SeededRandom(4);
    const counts = [0, 0];
    const two = Float32Array.from([0, Math.log(3)]); // probabilities 1/4 and 3/4 at T = 1
    for (let i = 0; i < 4000; i++) counts[pickToken(two, { temperature: 1 }, random)]++;
    expect(counts[1] / 4000).toBeGreaterThan(0.72);
    expect(counts[1] / 4000).toBeLessThan(0.78);
  });

  it('repeats itself for a seed', () => {
    const draw = (seed: number) => {
      const r = new SeededRandom(seed);
      return Array.from({ length: 20 }, () => pickToken(logits, { temperature: 1 }, r));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('rejects a negative temperature', () => {
    expect(() => pickToken(logits, { temperature: -1 }, new SeededRandom(0))).toThrow(/temperature/);
  });
});
