import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.js';

describe('seededRandom', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = seededRandom(42), b = seededRandom(42), c = seededRandom(43);
    const sa = Array.from({ length: 5 }, a), sb = Array.from({ length: 5 }, b), sc = Array.from({ length: 5 }, c);
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const x of sa) expect(x >= 0 && x < 1).toBe(true);
  });

  it('tells apart seeds that differ only above 2^32, and negative seeds from positive ones', () => {
    expect(seededRandom(1)()).not.toBe(seededRandom(1 + 2 ** 32)());
    expect(seededRandom(5)()).not.toBe(seededRandom(-5)());
  });

  it('is roughly uniform', () => {
    const r = seededRandom(7);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) sum += r();
    expect(sum / 10_000).toBeGreaterThan(0.48);
    expect(sum / 10_000).toBeLessThan(0.52);
  });
});
