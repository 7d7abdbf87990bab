/**
 * Logits processors: each a small step with one job that rewrites one row of logits in place, composed in a
 * list as transformers.js's `src/generation/` does (with top-p actually implemented).
 */
import { kthLargest, maxOf, softmax } from './distribution.js';

/** A step that rewrites one row of logits in place; `history` is the prompt plus the tokens generated so far. */
export type LogitsProcessor = (logits: Float32Array, history: readonly number[]) => void;

/** CTRL's rule (as in Hugging Face): a seen token's logit is divided by `penalty` when positive, multiplied when negative. */
export function repetitionPenalty(penalty: number): LogitsProcessor {
  return function applyRepetitionPenalty(logits, history) {
    for (const id of new Set(history)) {
      if (id < 0 || id >= logits.length) continue;
      const x = logits[id];
      logits[id] = x < 0 ? x * penalty : x / penalty;
    }
  };
}

export function temperature(t: number): LogitsProcessor {
  return function applyTemperature(logits) {
    for (let i = 0; i < logits.length; i++) logits[i] /= t;
  };
}

/** Keeps the k largest logits (and any tied with the k-th), sets the rest to -Infinity. */
export function topK(k: number): LogitsProcessor {
  return function applyTopK(logits) {
    if (k <= 0 || k >= logits.length) return;
    const threshold = kthLargest(logits, k);
    for (let i = 0; i < logits.length; i++) if (logits[i] < threshold) logits[i] = -Infinity;
  };
}

/**
 * Nucleus sampling: keeps the smallest set of most likely tokens whose probability adds up to at least p
 * (Hugging Face's rule; always at least one token), sets the rest to -Infinity.
 */
export function topP(p: number): LogitsProcessor {
  return function applyTopP(logits) {
    if (p >= 1) return;
    const probs = softmax(logits);
    // Sorting all 50257 probabilities every token is slow; the nucleus is a prefix of the sorted order, so it
    // lies inside any set {prob > t} whose mass already reaches p. Find such a t, then sort only that set.
    let t = maxOf(probs) * 1e-3;
    let candidates: number[];
    for (;;) {
      candidates = [];
      let mass = 0;
      for (let i = 0; i < probs.length; i++) {
        if (probs[i] > t) {
          candidates.push(i);
          mass += probs[i];
        }
      }
      if (mass >= p || t === 0) break;
      t = t < 1e-12 ? 0 : t * 1e-3;
    }
    candidates.sort((a, b) => probs[b] - probs[a] || a - b);
    const keep = new Uint8Array(logits.length);
    let cumulative = 0;
    for (const i of candidates) {
      keep[i] = 1;
      cumulative += probs[i];
      if (cumulative >= p) break;
    }
    for (let i = 0; i < logits.length; i++) if (!keep[i]) logits[i] = -Infinity;
  };
}
