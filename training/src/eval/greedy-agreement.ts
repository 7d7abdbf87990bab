/**
 * Greedy agreement: on a fixed set of prompts, how much of a quantized model's greedy continuation is the
 * fp32 model's. Continuations are compared up to their first difference, since after it the two models
 * continue different texts and later matches mean little.
 */
import type { CausalLm } from '../generate/causal-lm.js';
import { generate } from '../generate/generate.js';

/** Short openings of the kind our bots get (posts, replies, sayings); fixed, so runs compare. */
export const AGREEMENT_PROMPTS = [
  'The',
  'I think',
  'Today I',
  'My favorite',
  'Why do people',
  'Never trust a',
  'The best thing about',
  'If you want to',
  'Life is',
  'You know what',
  'Q: What do you call',
  'It is a truth universally acknowledged',
  'Good morning',
  'I just',
  'Remember:',
  'The secret of',
] as const;

export async function greedyContinuations(lm: CausalLm, prompts: readonly (readonly number[])[], maxNewTokens: number, eosTokenId: number): Promise<number[][]> {
  const out: number[][] = [];
  // One prompt at a time: left padding would give the same tokens, but one row keeps the check simple.
  for (const prompt of prompts) {
    const room = Math.min(maxNewTokens, lm.config.nPositions - prompt.length); // a tiny model's context may be short
    out.push(room > 0 ? (await generate(lm, [prompt], { maxNewTokens: room, eosTokenId }))[0] : []);
  }
  return out;
}

export interface GreedyAgreement {
  /** Tokens equal to the reference's before the first difference, over all the reference's tokens. */
  tokenRate: number;
  /** Prompts whose continuation is the reference's, token for token. */
  identical: number;
  prompts: number;
}

export function greedyAgreement(reference: readonly (readonly number[])[], other: readonly (readonly number[])[]): GreedyAgreement {
  if (reference.length !== other.length) throw new Error(`greedyAgreement: ${reference.length} vs ${other.length} prompts`);
  let matched = 0;
  let total = 0;
  let identical = 0;
  for (const [i, ref] of reference.entries()) {
    let n = 0;
    while (n < ref.length && other[i][n] === ref[n]) n++;
    matched += n;
    total += ref.length;
    if (n === ref.length && other[i].length === ref.length) identical++;
  }
  return { tokenRate: total === 0 ? 1 : matched / total, identical, prompts: reference.length };
}
