import { createOutputFilter, DEFAULT_GATE, replySteps } from '@mimicbot/functions-shared';
import { scriptedModel } from '@mimicbot/functions-shared/testing';
import { describe, expect, it } from 'vitest';
import { formatGateRate, measureGateRate } from './gate-rate.js';
import { TWEET_STEPS } from './tweet-steps.js';

const steps = replySteps(createOutputFilter({ words: ['badword'] }), DEFAULT_GATE, TWEET_STEPS);
const generation = { maxTokens: 60, temperature: 0.9, topP: 0.95 };

describe('measureGateRate', () => {
  it("asks in draws of n, judges each draft with the poster's steps, and counts drafts and draws that pass", async () => {
    const { model, requests } = scriptedModel([
      [' A fine line here.', ' ommbommmmmmm ck', ' a badword here', ' Yow!'],
      [' ?!', ' <|endoftext|>', ' Another fine line.', ' And one more.'],
      [' ttttttt', ' mmmmmmm'],
    ]);
    const progress: number[] = [];
    const rate = await measureGateRate({ model, steps, prompt: '', generation, candidates: 4, drafts: 10, onProgress: (done) => progress.push(done) });
    expect(requests.map((r) => r.n)).toEqual([4, 4, 2]);
    expect(requests[0]).toMatchObject({ prompt: '', maxTokens: 60, logprobs: 0 });
    expect(rate).toEqual({
      drafts: 10,
      passed: 3,
      draws: 3,
      drawsWithAPass: 2,
      rejected: { repeated_character: 3, filtered: 1, too_short: 1, no_words: 1, empty: 1 },
      scored: 0,
    });
    expect(progress).toEqual([4, 8, 10]);
  });

  it('prints both rates and the reasons, most common first', () => {
    const text = formatGateRate({ drafts: 200, passed: 181, draws: 50, drawsWithAPass: 49, rejected: { too_short: 12, no_words: 7 }, scored: 200 });
    expect(text).toContain('181 / 200 (90.5%)');
    expect(text).toContain('49 / 50 (98.0%)');
    expect(text).toContain('too_short 12, no_words 7');
    expect(formatGateRate({ drafts: 4, passed: 4, draws: 1, drawsWithAPass: 1, rejected: {}, scored: 0 })).toContain('ranked without them');
  });
});
