/** Global-norm gradient clipping (torch's `clip_grad_norm_`): scales every gradient in place. */
import type { Gpt2Weights } from '../model/gpt2-config.js';

/** The L2 norm over all gradients together, summed in float64. */
export function globalNorm(grads: Gpt2Weights): number {
  let sum = 0;
  for (const g of grads.values()) for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  return Math.sqrt(sum);
}

/** Scales the gradients so their global norm is at most `maxNorm`; returns the norm before clipping. */
export function clipGradNorm(grads: Gpt2Weights, maxNorm: number): number {
  const norm = globalNorm(grads);
  const scale = clipScale(norm, maxNorm);
  if (scale !== 1) for (const g of grads.values()) for (let i = 0; i < g.length; i++) g[i] *= scale;
  return norm;
}

/** The factor that brings a gradient of global norm `norm` down to at most `maxNorm` (1 when it is below, or clipping is off). */
export function clipScale(norm: number, maxNorm: number): number {
  return maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
}
