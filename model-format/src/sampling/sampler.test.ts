import { describe, expect, it } from 'vitest';
import { checkSamplingParams, createSampler, GREEDY, type SamplingParams } from './sampler.js';

const row = (...xs: number[]) => Float32Array.from(xs);

describe('createSampler', () => {
  it('is greedy at temperature 0, taking the first of equal maxima, after the repetition penalty', () => {
    expect(createSampler(GREEDY).next(row(1, 3, 2), [])).toBe(1);
    expect(createSampler(GREEDY).next(row(1, 3, 2, 3, -1), [])).toBe(1);
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

  it('follows softmax(logits / T) at a temperature other than 1', () => {
    // logits 0 and 2 ln 3 at T = 2: probabilities 1/4 and 3/4
    const s = createSampler({ temperature: 2, topK: 0, topP: 1, repetitionPenalty: 1, seed: 4 });
    const counts = [0, 0];
    for (let i = 0; i < 4000; i++) counts[s.next(row(0, 2 * Math.log(3)), [])]++;
    expect(counts[1] / 4000).toBeGreaterThan(0.72);
    expect(counts[1] / 4000).toBeLessThan(0.78);
  });

  it('never samples a token that top-k or top-p removed', () => {
    const k = createSampler({ temperature: 1, topK: 2, topP: 1, repetitionPenalty: 1, seed: 9 });
    const p = createSampler({ temperature: 1, topK: 0, topP: 0.5, repetitionPenalty: 1, seed: 9 });
    const seenK = new Set<number>();
    const seenP = new Set<number>();
    for (let i = 0; i < 200; i++) {
      seenK.add(k.next(row(0, 1, 1.5, 0.5), []));
      seenP.add(p.next(row(0, 1, 3, 0.5), [])); // token 2 alone holds 0.79 of the mass
    }
    expect([...seenK].sort()).toEqual([1, 2]);
    expect([...seenP]).toEqual([2]);
  });

  it('rejects parameters out of range, naming the field', () => {
    expect(() => checkSamplingParams({ ...GREEDY, temperature: -1 })).toThrow(/temperature/);
    expect(() => checkSamplingParams({ ...GREEDY, topP: 0 })).toThrow(/topP/);
    expect(() => checkSamplingParams({ ...GREEDY, topK: 1.5 })).toThrow(/topK/);
    expect(() => checkSamplingParams({ ...GREEDY, repetitionPenalty: 0 })).toThrow(/repetitionPenalty/);
    expect(() => checkSamplingParams({ ...GREEDY, seed: NaN })).toThrow(/seed/);
    expect(() => createSampler({ ...GREEDY, temperature: -1 })).toThrow(/temperature/);
  });
});
