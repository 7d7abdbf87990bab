/**
 * Picking the next token from one row of logits: a list of small logits processors (repetition penalty,
 * temperature, top-k, top-p), each mutating the row in place, then greedy argmax or a seeded draw.
 * The same shape as transformers.js's `src/generation/` processors, with top-p actually implemented.
 *
 * Every request owns its random generator, so the tokens a seeded request gets never depend on what else
 * shares its batch.
 */
import type { SamplingParams } from './types.js';

/** A source of uniform floats in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG, good enough for sampling and, unlike Math.random, seedable.
 * Seeds of any size (JS numbers) are folded into 32 bits first.
 */
export function seededRandom(seed: number): Random {
  let state = foldSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function foldSeed(seed: number): number {
  const n = Math.trunc(Math.abs(seed));
  // Mix the high and low 32 bits so seeds past 2^32 still differ.
  return (n % 4294967296) ^ Math.floor(n / 4294967296) ^ (seed < 0 ? 0x9e3779b9 : 0);
}

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

/** The processors a request's parameters ask for, in Hugging Face's order. */
function logitsProcessors(params: SamplingParams): LogitsProcessor[] {
  const list: LogitsProcessor[] = [];
  if (params.repetitionPenalty !== 1) list.push(repetitionPenalty(params.repetitionPenalty));
  if (params.temperature > 0) {
    if (params.temperature !== 1) list.push(temperature(params.temperature));
    if (params.topK > 0) list.push(topK(params.topK));
    if (params.topP < 1) list.push(topP(params.topP));
  }
  return list;
}

/** Picks the next token for one sequence. Each request builds one with its own seeded generator. */
export interface TokenSampler {
  /** `logits` is consumed (rewritten in place). */
  next(logits: Float32Array, history: readonly number[]): number;
}

export function createSampler(params: SamplingParams, random: Random = seededRandom(params.seed ?? randomSeed())): TokenSampler {
  checkSamplingParams(params);
  const processors = logitsProcessors(params);
  const greedy = params.temperature === 0;
  return {
    next(logits, history) {
      for (const process of processors) process(logits, history);
      return greedy ? argmax(logits) : drawFrom(softmax(logits), random());
    },
  };
}

export class InvalidSamplingParamsError extends Error {
  readonly code = 'invalid_sampling_params';
  constructor(readonly field: keyof SamplingParams, message: string) {
    super(`${field}: ${message}`);
    this.name = 'InvalidSamplingParamsError';
  }
}

/** The engine's own guard; the HTTP layer validates earlier and names the wire field. */
export function checkSamplingParams(p: SamplingParams): void {
  if (!(p.temperature >= 0) || !Number.isFinite(p.temperature)) throw new InvalidSamplingParamsError('temperature', 'must be a finite number >= 0');
  if (!Number.isInteger(p.topK) || p.topK < 0) throw new InvalidSamplingParamsError('topK', 'must be an integer >= 0');
  if (!(p.topP > 0 && p.topP <= 1)) throw new InvalidSamplingParamsError('topP', 'must be in (0, 1]');
  if (!(p.repetitionPenalty > 0) || !Number.isFinite(p.repetitionPenalty)) throw new InvalidSamplingParamsError('repetitionPenalty', 'must be a finite number > 0');
  if (p.seed !== undefined && !Number.isFinite(p.seed)) throw new InvalidSamplingParamsError('seed', 'must be a finite number');
}

function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296);
}

/** Index of the largest value; the lowest index wins ties, so greedy decoding is deterministic. */
export function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Softmax into a new Float64Array (float64 so that summing 50257 terms stays exact enough); -Infinity gives 0. */
export function softmax(logits: Float32Array): Float64Array {
  const max = maxOf(logits);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i] - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** The index where the running sum of `probs` first passes `u` (u uniform in [0, 1)). */
export function drawFrom(probs: Float64Array, u: number): number {
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] === 0) continue;
    cumulative += probs[i];
    last = i;
    if (u < cumulative) return i;
  }
  return last; // rounding left u just past the total
}

function maxOf(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return max;
}

/** The k-th largest value (1-based) by quickselect on a copy: O(V) on average. */
export function kthLargest(values: Float32Array, k: number): number {
  const a = values.slice(); // a plain copy; Float32Array.from would go through the iterator
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1; // index in descending order
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target];
}
