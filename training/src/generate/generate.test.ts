import { GREEDY, type SamplingParams } from '@mimicbot/model-format/sampling';
import { describe, expect, it } from 'vitest';
import type { ForwardInputs } from '../model/reference-forward.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import type { CausalLm } from './causal-lm.js';
import { generate } from './generate.js';

/** A counting model: the next token is always the last input token + 1. It records what it was fed. */
function countingLm(): CausalLm & { calls: Omit<ForwardInputs, 'past'>[] } {
  const config = tinyGpt2Config({ vocabSize: 16, eosTokenId: 9, bosTokenId: 9 });
  const calls: Omit<ForwardInputs, 'past'>[] = [];
  return {
    config,
    calls,
    async forward(inputs) {
      const { past, ...rest } = inputs;
      calls.push({ ...rest, inputIds: Array.from(rest.inputIds), attentionMask: Array.from(rest.attentionMask), positionIds: Array.from(rest.positionIds) });
      const B = inputs.batchSize;
      const T = inputs.inputIds.length / B;
      const logits = new Float32Array(B * T * 16);
      for (let i = 0; i < B * T; i++) logits[i * 16 + ((inputs.inputIds[i] + 1) % 16)] = 1;
      const length = (past?.length ?? 0) + T;
      return { logits, present: { length, key: [], value: [] } };
    },
  };
}

/** Hot enough that the counting model's one-hot logits still leave every token a chance. */
const HOT: SamplingParams = { temperature: 3, topK: 0, topP: 1, repetitionPenalty: 1 };

describe('generate', () => {
  it('feeds one token a step with a growing mask and per-row positions after left padding', async () => {
    const lm = countingLm();
    expect(await generate(lm, [[1, 2, 3], [5]], { maxNewTokens: 3, padTokenId: 0 })).toEqual([
      [4, 5, 6],
      [6, 7, 8],
    ]);
    expect(lm.calls).toEqual([
      { batchSize: 2, inputIds: [1, 2, 3, 0, 0, 5], attentionMask: [1, 1, 1, 0, 0, 1], positionIds: [0, 1, 2, 1, 1, 0] },
      { batchSize: 2, inputIds: [4, 6], attentionMask: [1, 1, 1, 1, 0, 0, 1, 1], positionIds: [3, 1] },
      { batchSize: 2, inputIds: [5, 7], attentionMask: [1, 1, 1, 1, 1, 0, 0, 1, 1, 1], positionIds: [4, 2] },
    ]);
  });

  it('stops a row at the end-of-text token, keeping it, and stops when every row has', async () => {
    const lm = countingLm();
    const out = await generate(lm, [[7], [3]], { maxNewTokens: 10, eosTokenId: 9, padTokenId: 0 });
    expect(out[0]).toEqual([8, 9]);
    expect(out[1]).toEqual([4, 5, 6, 7, 8, 9]);
    expect(lm.calls).toHaveLength(6);
    expect(lm.calls[2].inputIds).toEqual([9, 5]);
    expect(lm.calls[3].inputIds).toEqual([0, 6]); // a finished row is fed padding
  });

  it('reports each step and samples reproducibly with a seed', async () => {
    const steps: number[][] = [];
    await generate(countingLm(), [[1]], { maxNewTokens: 2, onStep: (t) => steps.push(t) });
    expect(steps).toEqual([[2], [3]]);
    const sampled = (seed: number) => generate(countingLm(), [[1]], { maxNewTokens: 8, sampling: { ...HOT, seed } });
    expect(await sampled(5)).toEqual(await sampled(5));
    expect(await sampled(5)).not.toEqual(await sampled(6));
  });

  it('gives each row the tokens it gets alone, as the server does', async () => {
    const together = await generate(countingLm(), [[1], [1], [4]], { maxNewTokens: 8, sampling: { ...HOT, seed: 3 } });
    const alone = await generate(countingLm(), [[1]], { maxNewTokens: 8, sampling: { ...HOT, seed: 3 } });
    expect(together[0]).toEqual(alone[0]);
    expect(together[1]).toEqual(alone[0]);
  });

  it('applies the repetition penalty over the prompt and what it generated', async () => {
    // An echoing model: the last token again (logit 2), else the next one (logit 1).
    const echo: CausalLm = {
      config: tinyGpt2Config({ vocabSize: 16 }),
      async forward(inputs) {
        const B = inputs.batchSize;
        const T = inputs.inputIds.length / B;
        const logits = new Float32Array(B * T * 16);
        for (let i = 0; i < B * T; i++) {
          logits[i * 16 + inputs.inputIds[i]] = 2;
          logits[i * 16 + ((inputs.inputIds[i] + 1) % 16)] = 1;
        }
        return { logits, present: { length: (inputs.past?.length ?? 0) + T, key: [], value: [] } };
      },
    };
    expect(await generate(echo, [[5]], { maxNewTokens: 3 })).toEqual([[5, 5, 5]]);
    // Penalty 4 brings a seen token's 2 down to 0.5, below the unseen next token's 1.
    expect(await generate(echo, [[5]], { maxNewTokens: 3, sampling: { ...GREEDY, repetitionPenalty: 4 } })).toEqual([[6, 7, 8]]);
  });
});
