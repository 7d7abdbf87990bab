import { describe, expect, it } from 'vitest';
import { adamwUpdate, createAdamWState, decays } from './adamw.js';
import { clipGradNorm, clipScale, globalNorm } from './grad-clip.js';
import { learningRateAt } from './lr-schedule.js';

describe('AdamW', () => {
  it('takes the bias-corrected step of the formula, with decay only on matmul weights', () => {
    const weights = new Map([
      ['h.0.mlp.c_fc.weight', Float32Array.of(1, -2)],
      ['h.0.mlp.c_fc.bias', Float32Array.of(1, -2)],
    ]);
    const grads = new Map([
      ['h.0.mlp.c_fc.weight', Float32Array.of(0.5, 0.25)],
      ['h.0.mlp.c_fc.bias', Float32Array.of(0.5, 0.25)],
    ]);
    const state = createAdamWState(weights);
    const options = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };
    adamwUpdate(weights, grads, state, 0.01, options);
    // Step 1: m^ = g, v^ = g^2, so the Adam part is lr * sign(g) (up to eps).
    expect(weights.get('h.0.mlp.c_fc.bias')![0]).toBeCloseTo(1 - 0.01, 6);
    expect(weights.get('h.0.mlp.c_fc.weight')![0]).toBeCloseTo(1 - 0.01 * (1 + 0.1 * 1), 6);
    expect(weights.get('h.0.mlp.c_fc.weight')![1]).toBeCloseTo(-2 - 0.01 * (1 + 0.1 * -2), 6);
    // Step 2 with the same gradient: m = g (0.1 + 0.09 ...) -> bias correction keeps m^ = g, v^ = g^2.
    adamwUpdate(weights, grads, state, 0.01, options);
    expect(state.step).toBe(2);
    expect(weights.get('h.0.mlp.c_fc.bias')![1]).toBeCloseTo(-2 - 0.02, 6);
  });

  it('applies a gradient scale as if the gradients had been scaled first', () => {
    const run = (g: number, scale: number) => {
      const weights = new Map([['h.0.attn.c_proj.weight', Float32Array.of(0.5)]]);
      const state = createAdamWState(weights);
      for (let i = 0; i < 3; i++) adamwUpdate(weights, new Map([['h.0.attn.c_proj.weight', Float32Array.of(g * (i + 1))]]), state, 0.01, undefined, scale);
      return [weights.get('h.0.attn.c_proj.weight')![0], state.v.get('h.0.attn.c_proj.weight')![0]];
    };
    const [p1, v1] = run(2, 0.25);
    const [p2, v2] = run(0.5, 1);
    expect(p1).toBeCloseTo(p2, 7);
    expect(v1).toBeCloseTo(v2, 9);
  });

  it('decays c_attn, c_proj and c_fc weights, not biases, LayerNorm or embeddings', () => {
    expect(['h.3.attn.c_attn.weight', 'h.0.attn.c_proj.weight', 'h.1.mlp.c_fc.weight', 'h.1.mlp.c_proj.weight'].every(decays)).toBe(true);
    expect(['h.0.attn.c_attn.bias', 'h.0.ln_1.weight', 'ln_f.weight', 'wte.weight', 'wpe.weight'].some(decays)).toBe(false);
  });
});

describe('gradient clipping', () => {
  it('gives the factor to the cap, and 1 below it or with clipping off', () => {
    expect(clipScale(5, 1)).toBeCloseTo(0.2, 6);
    expect(clipScale(0.5, 1)).toBe(1);
    expect(clipScale(5, 0)).toBe(1);
  });

  it('scales every gradient together down to the global norm cap, and leaves small ones alone', () => {
    const grads = new Map([
      ['a', Float32Array.of(3, 0)],
      ['b', Float32Array.of(0, 4)],
    ]);
    expect(clipGradNorm(grads, 10)).toBeCloseTo(5, 6);
    expect(Array.from(grads.get('a')!)).toEqual([3, 0]);
    expect(clipGradNorm(grads, 1)).toBeCloseTo(5, 6);
    expect(globalNorm(grads)).toBeCloseTo(1, 5);
    expect(grads.get('b')![1]).toBeCloseTo(0.8, 5);
  });
});

describe('learning-rate schedule', () => {
  const s = { maxLr: 1e-3, minLr: 1e-4, warmupSteps: 10, totalSteps: 110 };
  it('warms up linearly, peaks at maxLr, decays by cosine to minLr at the end', () => {
    expect(learningRateAt(0, s)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(9, s)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(10, s)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(60, s)).toBeCloseTo(5.5e-4, 12); // half-way: the mean of max and min
    expect(learningRateAt(110, s)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(500, s)).toBe(1e-4);
  });
});
