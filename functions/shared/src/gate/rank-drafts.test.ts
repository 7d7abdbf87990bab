import { describe, expect, it } from 'vitest';
import { newDraft, reshape, type Draft } from '../reply/draft.js';
import { likelihoodOf, priorScores, rankByLikelihood, rankWithoutLogprobs } from './rank-drafts.js';

/** A draft of one token per word, with the given log-probabilities. */
function scored(words: string[], logprobs: number[], choice: number, finishReason = 'stop'): Draft {
  const raw = words.map((w) => ` ${w}`).join('');
  let offset = 0;
  const textOffset = words.map((w) => ((offset += w.length + 1), offset - w.length - 1));
  return reshape(newDraft(raw, { finishReason, draw: 1, choice, logprobs: { tokens: words.map((w) => ` ${w}`), tokenLogprobs: logprobs, textOffset } }), raw.trim());
}

const order = (drafts: Draft[]) => drafts.map((d) => d.choice);

describe('rankByLikelihood', () => {
  it('puts the draft with the best mean token log-probability first', () => {
    const a = scored(['a', 'b', 'c', 'd'], [-3, -3, -3, -3], 0);
    const b = scored(['e', 'f', 'g', 'h'], [-1, -2, -1, -2], 1);
    const c = scored(['i', 'j', 'k', 'l'], [-2, -2, -2, -2], 2);
    expect(order(rankByLikelihood(0)([a, b, c]))).toEqual([1, 2, 0]);
  });

  it('with the prior, a short draft must be much better, not just luckier, to beat a long one', () => {
    const long = scored('it was a dark and stormy night, said the cat'.split(' '), Array(10).fill(-1.8), 0);
    const poor = (choice: number) => scored('the the of a in to it was not so'.split(' '), Array(10).fill(-3), choice);
    const lucky = scored(['Yes.'], [-1.5], 3);
    // Plain means: the one lucky token (-1.5) beats ten good ones (-1.8).
    expect(order(rankByLikelihood(0)([long, poor(1), poor(2), lucky]))).toEqual([3, 0, 1, 2]);
    // With 8 pseudo-tokens at the draw's mean (about -2.56) it is pulled most of the way down to it.
    expect(order(rankByLikelihood(8)([long, poor(1), poor(2), lucky]))).toEqual([0, 3, 1, 2]);
    // A short draft that is better throughout still wins.
    const better = scored(['Indeed', 'it', 'is.'], [-1, -1, -1], 4);
    expect(order(rankByLikelihood(8)([long, poor(1), poor(2), better])).at(0)).toBe(4);
  });

  it('scores only the kept tokens of a draft cut back at the token limit', () => {
    const cut = reshape(scored(['Fine.', 'Then', 'gar'], [-1, -9, -9], 0, 'length'), 'Fine.');
    const whole = scored(['All', 'good.'], [-2, -2], 1);
    expect(likelihoodOf(cut)).toEqual({ sum: -1, tokens: 1 });
    expect(order(rankByLikelihood(0)([whole, cut]))).toEqual([0, 1]);
  });

  it('falls back when any survivor has no log-probabilities: finished before cut, then model order', () => {
    const plain = (choice: number, finishReason: string) => newDraft(' text', { finishReason, draw: 1, choice });
    const ranked = rankByLikelihood(8)([plain(0, 'length'), scored(['x', 'y'], [-0.1, -0.1], 1), plain(2, 'stop'), plain(3, 'length')]);
    expect(order(ranked)).toEqual([1, 2, 0, 3]);
    expect(order(rankWithoutLogprobs([plain(0, 'length'), plain(1, 'stop')]))).toEqual([1, 0]);
  });

  it('keeps model order between equal scores', () => {
    const same = (choice: number) => scored(['a', 'b'], [-1, -1], choice);
    expect(order(rankByLikelihood(8)([same(0), same(1), same(2)]))).toEqual([0, 1, 2]);
  });
});

describe('priorScores', () => {
  it("adds k pseudo-tokens at the draw's pooled mean to every draft", () => {
    // Pooled mean: (-2 + -20) / (1 + 10) = -2.
    expect(priorScores([{ sum: -2, tokens: 1 }, { sum: -20, tokens: 10 }], 0)).toEqual([-2, -2]);
    expect(priorScores([{ sum: -1, tokens: 1 }, { sum: -21, tokens: 10 }], 1)).toEqual([(-1 - 2) / 2, (-21 - 2) / 11]);
  });
});
