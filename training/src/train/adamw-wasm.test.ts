import { describe, expect, it } from 'vitest';
import type { Gpt2Weights } from '../model/gpt2-config.js';
import { SeededRandom } from '../model/random.js';
import { adamwUpdate, createAdamWState } from './adamw.js';
import { adoptWasmAdamW } from './adamw-wasm.js';

/** Weights of the given sizes: one decayed matmul weight, plus non-decayed tensors (odd lengths exercise the JS tail). */
function tensors(sizes: Record<string, number>, seed: number, scale: number): Gpt2Weights {
  const random = new SeededRandom(seed);
  return new Map(Object.entries(sizes).map(([name, n]) => {
    const a = new Float32Array(n);
    random.fillNormal(a, scale);
    return [name, a];
  }));
}
const copy = (w: Gpt2Weights): Gpt2Weights => new Map([...w].map(([n, a]) => [n, a.slice()]));

/** Within float32 rounding: 1e-5 relative, or 1e-6 of the tensor's largest value where an element cancels to near 0. */
function expectClose(actual: Gpt2Weights, expected: Gpt2Weights) {
  for (const [name, e] of expected) {
    const a = actual.get(name)!;
    const floor = 1e-6 * e.reduce((x, y) => Math.max(x, Math.abs(y)), 0);
    let worst = 0;
    for (let i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]) / (1e-5 * Math.abs(e[i]) + floor));
    expect(worst, name).toBeLessThanOrEqual(1);
  }
}

describe('adoptWasmAdamW', () => {
  const cases: [string, Record<string, number>][] = [
    ['tiny tensors', { 'h.0.attn.c_attn.weight': 12, 'h.0.ln_1.weight': 7, 'wte.weight': 1, 'h.0.mlp.c_proj.weight': 3 }],
    ['mid-size tensors across gradient chunks', { 'h.0.mlp.c_fc.weight': 200_003, 'h.0.mlp.c_fc.bias': 4_099 }],
  ];
  for (const [label, sizes] of cases) {
    it(`matches adamwUpdate over several steps with weight decay and gradScale (${label})`, () => {
      const reference = tensors(sizes, 1, 0.02);
      const weights = copy(reference);
      const referenceState = createAdamWState(reference), state = createAdamWState(weights);
      const update = adoptWasmAdamW(weights, state);
      expectClose(weights, reference); // adopting moves the values, unchanged
      const options = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };
      for (let step = 0; step < 4; step++) {
        const grads = tensors(sizes, 10 + step, 0.01);
        const scale = [1, 0.25, 1, 0.6][step];
        adamwUpdate(reference, grads, referenceState, 1e-3 * (step + 1), options, scale);
        update(weights, grads, state, 1e-3 * (step + 1), options, scale);
      }
      expect(state.step).toBe(4);
      expectClose(weights, reference);
      expectClose(state.m, referenceState.m);
      expectClose(state.v, referenceState.v);
      const [first, initial] = [...tensors(sizes, 1, 0.02)][0];
      expect(weights.get(first)).not.toEqual(initial); // the updates did move the weights
    });
  }

  it('refuses weights that were replaced after adoption instead of updating a stale copy', () => {
    const weights = tensors({ 'h.0.attn.c_attn.weight': 8 }, 1, 0.02);
    const state = createAdamWState(weights);
    const update = adoptWasmAdamW(weights, state);
    weights.set('h.0.attn.c_attn.weight', new Float32Array(8));
    expect(() => update(weights, copy(weights), state, 1e-3)).toThrow(/not in this optimizer's memory/);
  });
});
