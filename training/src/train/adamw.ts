/**
 * AdamW (Loshchilov & Hutter; llm.c `gpt2_update`), in place over Float32Arrays:
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  p -= lr (m^ / (sqrt(v^) + eps) + wd p)
 * with bias-corrected m^, v^. Weight decay is decoupled and applies only where `decays(name)` says.
 */
import type { Gpt2Weights } from '../model/gpt2-config.js';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const DEFAULT_ADAMW: AdamWOptions = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };

export interface AdamWState {
  /** Updates taken so far (t in the bias correction). */
  step: number;
  m: Gpt2Weights;
  v: Gpt2Weights;
}

/**
 * Decay the matmul weights only (`c_attn`, `c_proj`, `c_fc`), as minGPT does: not biases or LayerNorm
 * gains (decaying those pulls them toward 0, which is meaningless for a gain of 1), and not the
 * embeddings, since wte is also the output head and shrinking it flattens every prediction.
 */
export function decays(name: string): boolean {
  return /\.(c_attn|c_proj|c_fc)\.weight$/.test(name);
}

export function createAdamWState(weights: Gpt2Weights): AdamWState {
  const zeros = () => new Map([...weights].map(([name, w]) => [name, new Float32Array(w.length)]));
  return { step: 0, m: zeros(), v: zeros() };
}

export function adamwUpdate(weights: Gpt2Weights, grads: Gpt2Weights, state: AdamWState, lr: number, options: AdamWOptions = DEFAULT_ADAMW): void {
  const { beta1, beta2, eps } = options;
  state.step++;
  const c1 = 1 - beta1 ** state.step;
  const c2 = 1 - beta2 ** state.step;
  for (const [name, p] of weights) {
    const g = grads.get(name);
    const m = state.m.get(name);
    const v = state.v.get(name);
    if (!g || !m || !v) throw new Error(`adamw: no gradient or state for ${name}`);
    const wd = decays(name) ? options.weightDecay : 0;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      const mi = (m[i] = beta1 * m[i] + (1 - beta1) * gi);
      const vi = (v[i] = beta2 * v[i] + (1 - beta2) * gi * gi);
      p[i] -= lr * (mi / c1 / (Math.sqrt(vi / c2) + eps) + wd * p[i]);
    }
  }
}
