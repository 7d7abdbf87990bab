import { describe, expect, it } from 'vitest';
import { threadsPerEngine } from './open-models.js';

describe('threadsPerEngine', () => {
  it('splits the CPUs between the engines when THREADS is 0, at least one each', () => {
    expect(threadsPerEngine(0, 2, 2)).toBe(1);
    expect(threadsPerEngine(0, 2, 8)).toBe(4);
    expect(threadsPerEngine(0, 3, 8)).toBe(2);
    expect(threadsPerEngine(0, 5, 2)).toBe(1);
  });

  it('gives each engine an explicit THREADS as it is', () => {
    expect(threadsPerEngine(2, 4, 2)).toBe(2);
  });
});
