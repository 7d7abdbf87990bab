/**
 * Choosing the next token from one row of logits: greedy (temperature 0) or sampled with a temperature
 * and an optional top-k cut, drawing from a seeded generator so a seed repeats its text.
 */
import type { SeededRandom } from '../model/random.js';

export interface PickOptions {
  /** 0 picks the most likely token (greedy); above 0 samples from softmax(logits / temperature). */
  temperature: number;
  /** Sample only among the k most likely tokens; 0 or absent means all. */
  topK?: number;
}

/** The index of the largest value (the first one on ties), as torch.argmax. */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

export function pickToken(logits: Float32Array, options: PickOptions, random: SeededRandom): number {
  if (!(options.temperature >= 0)) throw new Error(`temperature must be >= 0, got ${options.temperature}`);
  if (options.temperature === 0) return argmax(logits);
  const V = logits.length;
  const k = options.topK && options.topK > 0 ? Math.min(options.topK, V) : V;
  // Candidates: the k largest logits (all of them when k = V).
  let ids = Array.from({ length: V }, (_, i) => i);
  if (k < V) ids = ids.sort((a, b) => logits[b] - logits[a] || a - b).slice(0, k);
  let max = -Infinity;
  for (const i of ids) max = Math.max(max, logits[i]);
  const weights = ids.map((i) => Math.exp((logits[i] - max) / options.temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random.nextFloat() * total;
  for (let j = 0; j < ids.length; j++) {
    r -= weights[j];
    if (r < 0) return ids[j];
  }
  return ids[ids.length - 1];
}
