/**
 * Which survivor of a draw goes out: the one the model found most likely, word for word.
 *
 * Each draft's score is the mean log-probability of the tokens its kept text came from (kept-tokens.ts),
 * with a prior on that mean: `priorTokens` pseudo-tokens at the draw's own average are added to every
 * draft, `score = (sum + k * drawMean) / (tokens + k)`. Measured on real drafts (README, "quality gate"),
 * the mean itself does not depend on length, but its spread does (a 1–3 token draft's mean varies three
 * times as much as a 40-token one's), so the plain mean lets short drafts win best-of-n by luck: a lone
 * '"' outscored every sentence. The prior pulls a short draft's mean towards the average of the draw, so it
 * must be much better, not just short, to win; past a few dozen tokens it hardly matters. Using the draw's
 * own average keeps it free of any one model's scale.
 *
 * When a survivor has no log-probabilities (a server that does not return them), the rank falls back to:
 * drafts that ended on their own before drafts cut at the token limit, then the order the model sent them
 * in (which, for samples, is no order at all).
 */
import type { Draft } from '../reply/draft.js';
import type { RankDrafts } from '../reply/judge-drafts.js';
import { keptTokenLogprobs } from './kept-tokens.js';

export interface Likelihood {
  /** Sum of the kept tokens' log-probabilities (natural log). */
  sum: number;
  tokens: number;
}

export function likelihoodOf(draft: Draft): Likelihood | undefined {
  if (!draft.logprobs) return undefined;
  const kept = keptTokenLogprobs(draft.logprobs, draft.raw, draft.continuation);
  if (kept.length === 0) return undefined;
  return { sum: kept.reduce((total, logprob) => total + logprob, 0), tokens: kept.length };
}

/** The scores of drafts that all have a likelihood, with the prior toward their pooled mean. */
export function priorScores(likelihoods: readonly Likelihood[], priorTokens: number): number[] {
  const pooledSum = likelihoods.reduce((total, l) => total + l.sum, 0);
  const pooledTokens = likelihoods.reduce((total, l) => total + l.tokens, 0);
  const drawMean = pooledSum / pooledTokens;
  return likelihoods.map((l) => (l.sum + priorTokens * drawMean) / (l.tokens + priorTokens));
}

/** Finished before cut, then model order: for drafts without log-probabilities. */
export const rankWithoutLogprobs: RankDrafts = (survivors) =>
  [...survivors].sort((a, b) => Number(a.finishReason === 'length') - Number(b.finishReason === 'length'));

export function rankByLikelihood(priorTokens: number): RankDrafts {
  return (survivors) => {
    const likelihoods = survivors.map(likelihoodOf);
    if (likelihoods.some((l) => l === undefined)) return rankWithoutLogprobs(survivors);
    const scores = priorScores(likelihoods as Likelihood[], priorTokens);
    return survivors
      .map((draft, index) => ({ draft, score: scores[index], index }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .map(({ draft }) => draft);
  };
}
