/**
 * The generation loop: prefill the (left-padded) prompts, then one cached step per new token, as
 * transformers.js and optimum do it with a `text-generation-with-past` decoder. Tokens are picked by the
 * shared sampler (@mimicbot/model-format/sampling), one per row as the server does, so a seed gives the same
 * tokens here as there.
 */
import { createSampler, GREEDY, type SamplingParams } from '@mimicbot/model-format/sampling';
import type { KvCache } from '../model/reference-forward.js';
import type { CausalLm } from './causal-lm.js';
import { leftPad } from './left-pad.js';

export interface GenerateOptions {
  maxNewTokens: number;
  /** Default greedy. Every row gets its own sampler with this seed, so a row's tokens do not depend on the others. */
  sampling?: SamplingParams;
  /** A row stops when it produces this token (the token is kept in its output). */
  eosTokenId?: number;
  /** Fed for padding and for finished rows; defaults to eosTokenId, else 0. */
  padTokenId?: number;
  /** Called after each step with the tokens chosen for every row. */
  onStep?: (tokens: number[]) => void;
}

/** Returns the new tokens of each prompt (prompts themselves not included). */
export async function generate(lm: CausalLm, prompts: readonly (readonly number[])[], options: GenerateOptions): Promise<number[][]> {
  const V = lm.config.vocabSize;
  const padTokenId = options.padTokenId ?? options.eosTokenId ?? 0;
  const samplers = prompts.map(() => createSampler(options.sampling ?? GREEDY));
  const histories = prompts.map((p) => [...p]); // prompt + generated, for the repetition penalty
  const batch = leftPad(prompts, padTokenId);
  const B = batch.batchSize;
  const outputs: number[][] = prompts.map(() => []);
  const done = prompts.map(() => false);
  const nextPosition = prompts.map((p) => p.length);
  let attentionMask = batch.attentionMask; // [B, P + T], grows by one column a step
  let past: KvCache | undefined;
  let step = { inputIds: batch.inputIds, positionIds: batch.positionIds, T: batch.length };

  for (let n = 0; n < options.maxNewTokens && !done.every(Boolean); n++) {
    const { logits, present } = await lm.forward({ batchSize: B, inputIds: step.inputIds, attentionMask, positionIds: step.positionIds, past });
    past = present;
    // Each row's last position predicts its next token.  logits: [B, T, V]
    const chosen = Array.from({ length: B }, (_, b) => {
      if (done[b]) return padTokenId;
      const at = (b * step.T + step.T - 1) * V;
      const token = samplers[b].next(logits.slice(at, at + V), histories[b]); // a copy: the sampler rewrites it
      outputs[b].push(token);
      histories[b].push(token);
      if (token === options.eosTokenId) done[b] = true;
      return token;
    });
    options.onStep?.(chosen);
    // Next step: one token per row, one more mask column, the next position.
    const S = attentionMask.length / B;
    const grown: number[] = [];
    for (let b = 0; b < B; b++) grown.push(...attentionMask.slice(b * S, (b + 1) * S), 1);
    attentionMask = grown;
    step = { inputIds: chosen, positionIds: [...nextPosition], T: 1 };
    for (let b = 0; b < B; b++) nextPosition[b]++;
  }
  return outputs;
}
