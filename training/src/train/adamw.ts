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

/**
 * One update. `gradScale` multiplies every gradient as it is read (global-norm clipping without a pass
 * that rewrites them). The loop is written out with per-step constants hoisted: at 124M parameters it
 * is a measurable share of a step.
 */
export function adamwUpdate(weights: Gpt2Weights, grads: Gpt2Weights, state: AdamWState, lr: number, options: AdamWOptions = DEFAULT_ADAMW, gradScale = 1): void {
  const { beta1: b1, beta2: b2, eps } = options;
  state.step++;
  const a1 = 1 - b1, a2 = 1 - b2;
  // p -= lr (m / c1 / (sqrt(v / c2) + eps) + wd p)  ==  p (1 - lr wd) - (lr / c1) m / (sqrt(v) / sqrt(c2) + eps)
  const stepSize = lr / (1 - b1 ** state.step);
  const invSqrtC2 = 1 / Math.sqrt(1 - b2 ** state.step);
  for (const [name, p] of weights) {
    const g = grads.get(name);
    const m = state.m.get(name);
    const v = state.v.get(name);
    if (!g || !m || !v) throw new Error(`adamw: no gradient or state for ${name}`);
    const keep = 1 - lr * (decays(name) ? options.weightDecay : 0);
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] * gradScale;
      const mi = b1 * m[i] + a1 * gi;
      const vi = b2 * v[i] + a2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = p[i] * keep - (stepSize * mi) / (Math.sqrt(vi) * invSqrtC2 + eps);
    }
  }
}
