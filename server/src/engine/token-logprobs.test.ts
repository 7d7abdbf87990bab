import { describe, expect, it } from 'vitest';
import { logSumExp, scoreToken, topIds } from './token-logprobs.js';

/** log-softmax the slow, obvious way, in float64. */
function naiveLogSoftmax(logits: Float32Array): number[] {
  const sum = [...logits].reduce((s, x) => s + Math.exp(x), 0);
  return [...logits].map((x) => x - Math.log(sum));
}

describe('token log-probabilities', () => {
  it('equal the naive log-softmax, and their probabilities add up to 1', () => {
    const logits = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i * 12.9898) * 8);
    const want = naiveLogSoftmax(logits);
    for (const token of [0, 17, 299]) expect(scoreToken(logits, token, 0).logprob).toBeCloseTo(want[token], 10);
    const lse = logSumExp(logits);
    expect([...logits].reduce((s, x) => s + Math.exp(x - lse), 0)).toBeCloseTo(1, 12);
  });

  it('stay finite for logits far outside exp()\'s range', () => {
    const logits = Float32Array.of(1000, 999, -1000);
    const { logprob, top } = scoreToken(logits, 1, 2);
    expect(logprob).toBeCloseTo(999 - (1000 + Math.log(1 + Math.exp(-1))), 6);
    expect(top.map((t) => t.id)).toEqual([0, 1]);
    expect(scoreToken(logits, 2, 0).logprob).toBeCloseTo(-2000 - Math.log(1 + Math.exp(-1)), 3);
  });

  it('list the k most likely tokens, most likely first, lower id first on ties', () => {
    const logits = Float32Array.of(1, 5, 3, 5, -2, 4, 0);
    expect(topIds(logits, 3)).toEqual([1, 3, 5]);
    expect(topIds(logits, 5)).toEqual([1, 3, 5, 2, 0]);
    expect(topIds(logits, 0)).toEqual([]);
    expect(topIds(Float32Array.of(2, 1), 5)).toEqual([0, 1]);
  });

  it('give each alternative its own log-probability, whether or not it is the token scored', () => {
    const logits = Float32Array.of(0, 2, 1);
    const want = naiveLogSoftmax(logits);
    const scored = scoreToken(logits, 0, 2);
    expect(scored.logprob).toBeCloseTo(want[0], 6);
    expect(scored.top).toEqual([
      { id: 1, logprob: expect.closeTo(want[1], 6) as number },
      { id: 2, logprob: expect.closeTo(want[2], 6) as number },
    ]);
  });
});
