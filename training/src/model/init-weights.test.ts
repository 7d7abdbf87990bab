import { describe, expect, it } from 'vitest';
import { gpt2TensorShapes } from './gpt2-config.js';
import { initGpt2Weights } from './init-weights.js';
import { tinyGpt2Config } from './tiny-config.js';

const config = tinyGpt2Config({ nLayer: 3, nEmbd: 64, nHead: 4 });

function std(a: Float32Array): number {
  const mean = a.reduce((s, x) => s + x, 0) / a.length;
  return Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length);
}

describe('initGpt2Weights', () => {
  it('makes every GPT-2 tensor with its shape', () => {
    const weights = initGpt2Weights(config, 1);
    const shapes = gpt2TensorShapes(config);
    expect([...weights.keys()]).toEqual([...shapes.keys()]);
    for (const [name, shape] of shapes) expect(weights.get(name)?.length).toBe(shape.reduce((a, b) => a * b, 1));
  });

  it("follows GPT-2's init: N(0, 0.02), residual projections scaled by 1/sqrt(2L), LayerNorm 1/0, biases 0", () => {
    const w = initGpt2Weights(config, 1);
    expect(std(w.get('wte.weight')!)).toBeCloseTo(0.02, 3);
    expect(std(w.get('h.0.mlp.c_fc.weight')!)).toBeCloseTo(0.02, 3);
    expect(std(w.get('h.2.mlp.c_proj.weight')!)).toBeCloseTo(0.02 / Math.sqrt(6), 3);
    expect(std(w.get('h.1.attn.c_proj.weight')!)).toBeCloseTo(0.02 / Math.sqrt(6), 3);
    expect(w.get('h.1.ln_2.weight')!.every((x) => x === 1)).toBe(true);
    expect(w.get('ln_f.weight')!.every((x) => x === 1)).toBe(true);
    for (const name of ['ln_f.bias', 'h.0.attn.c_attn.bias', 'h.2.mlp.c_proj.bias']) expect(w.get(name)!.every((x) => x === 0)).toBe(true);
  });

  it('is a function of the seed: same seed same weights, other seed other weights', () => {
    const a = initGpt2Weights(config, 42);
    const b = initGpt2Weights(config, 42);
    const c = initGpt2Weights(config, 43);
    expect(b.get('h.1.attn.c_attn.weight')).toEqual(a.get('h.1.attn.c_attn.weight'));
    expect(c.get('h.1.attn.c_attn.weight')).not.toEqual(a.get('h.1.attn.c_attn.weight'));
    // Each tensor has its own stream, so different tensors are not copies of each other.
    expect(a.get('h.0.attn.c_proj.weight')!.subarray(0, 8)).not.toEqual(a.get('h.1.attn.c_proj.weight')!.subarray(0, 8));
  });

  it('does not depend on the number of layers for the tensors both shapes share', () => {
    const small = initGpt2Weights({ ...config, nLayer: 1 }, 5);
    const big = initGpt2Weights(config, 5);
    expect(big.get('h.0.attn.c_attn.weight')).toEqual(small.get('h.0.attn.c_attn.weight'));
  });

  it('reports progress up to the total number of floats', () => {
    const seen: [number, number][] = [];
    initGpt2Weights(config, 1, { onProgress: (done, total) => seen.push([done, total]) });
    const total = [...gpt2TensorShapes(config).values()].reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0);
    expect(seen.at(-1)).toEqual([total, total]);
  });
});
