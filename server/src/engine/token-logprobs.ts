/**
 * Log-probabilities as OpenAI's `logprobs` reports them: the log-softmax of the model's own logits at
 * temperature 1, before any logits processor (repetition penalty, temperature, top-k, top-p) touches them,
 * so a text's score is the model's and does not depend on how it was sampled.
 */

/** One token's log-probability and the most likely alternatives at its position. */
export interface TokenLogprob {
  logprob: number;
  /** The `k` most likely tokens, most likely first (ties: lower id first). */
  top: { id: number; logprob: number }[];
}

/** The most alternatives a request may ask for (OpenAI's limit for legacy completions). */
export const MAX_TOP_LOGPROBS = 5;

/** `log(sum(exp(logits)))`, shifted by the max so that no exp overflows; in float64. */
export function logSumExp(logits: Float32Array): number {
  let max = -Infinity;
  for (let v = 0; v < logits.length; v++) if (logits[v] > max) max = logits[v];
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let v = 0; v < logits.length; v++) sum += Math.exp(logits[v] - max);
  return max + Math.log(sum);
}

/** The `k` highest logits' ids, highest first: one pass, k <= MAX_TOP_LOGPROBS so insertion is cheapest. */
export function topIds(logits: Float32Array, k: number): number[] {
  const ids: number[] = [];
  for (let v = 0; v < logits.length; v++) {
    if (ids.length === k && !(logits[v] > logits[ids[k - 1]])) continue;
    let at = Math.min(ids.length, k - 1);
    while (at > 0 && logits[v] > logits[ids[at - 1]]) at--;
    ids.splice(at, 0, v);
    if (ids.length > k) ids.pop();
  }
  return ids;
}

/** `token`'s log-probability under `logits` (unprocessed), with the `k` most likely tokens. */
export function scoreToken(logits: Float32Array, token: number, k: number): TokenLogprob {
  const lse = logSumExp(logits);
  return { logprob: logits[token] - lse, top: topIds(logits, k).map((id) => ({ id, logprob: logits[id] - lse })) };
}
