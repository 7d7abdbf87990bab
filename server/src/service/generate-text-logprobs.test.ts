import { describe, expect, it } from 'vitest';
import { buildGpt2Tokenizer } from '@mimicbot/training';
import { createTextTokenizer } from '@mimicbot/model-format';
import type { Engine, TokenLogprob, TokenResult } from '../engine/types.js';
import type { TextLogprobs } from '../text/logprobs-recorder.js';
import { generateText } from './generate-text.js';

const tokenizer = createTextTokenizer(buildGpt2Tokenizer());
const greedy = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
/** A score that names its token, so an entry on the wrong token shows. */
const fakeScore = (id: number): TokenLogprob => ({ logprob: -id / 1e5, top: [{ id, logprob: -id / 1e5 }] });

/** Generates `continuation`'s tokens with fake scores; scores the prompt when asked. */
function scoringEngine(continuation: string): Engine {
  return {
    async generate(request): Promise<TokenResult> {
      if (request.scorePrompt) request.onPromptScored?.(request.promptIds.slice(1).map(fakeScore));
      const tokenIds: number[] = [];
      for (const id of tokenizer.encode(continuation).slice(0, request.maxNewTokens)) {
        if (request.signal?.aborted) return { tokenIds, finishReason: 'aborted' };
        tokenIds.push(id);
        request.onToken?.(id, request.logprobs === undefined ? undefined : fakeScore(id));
      }
      return { tokenIds, finishReason: 'length' };
    },
    stats: () => ({ queueDepth: 0, activeSequences: 0 }),
    close: async () => {},
  };
}

function merge(pieces: TextLogprobs[]): TextLogprobs {
  return {
    tokens: pieces.flatMap((p) => p.tokens),
    tokenLogprobs: pieces.flatMap((p) => p.tokenLogprobs),
    topLogprobs: pieces.flatMap((p) => p.topLogprobs),
    textOffset: pieces.flatMap((p) => p.textOffset),
  };
}

describe('generateText with logprobs', () => {
  it('keeps the tokens whose text starts before a stop sequence, and streams exactly those', async () => {
    const pieces: TextLogprobs[] = [];
    const result = await generateText(
      { engine: scoringEngine(' one two. three four'), tokenizer },
      { promptIds: [1], maxNewTokens: 20, sampling: greedy, stop: ['. th'], logprobs: 0, onText: (_, lp) => pieces.push(lp!) },
    );
    expect(result.text).toBe(' one two');
    expect(result.logprobs!.tokens).toEqual([' one', ' two']);
    expect(result.logprobs!.textOffset).toEqual([0, 4]);
    expect(result.logprobs!.tokenLogprobs).toEqual(tokenizer.encode(' one two').map((id) => -id / 1e5));
    expect(merge(pieces)).toEqual(result.logprobs);
  });

  it('with echo starts the text and the entries with the prompt, its first token unscored', async () => {
    const promptIds = tokenizer.encode('Say');
    const result = await generateText(
      { engine: scoringEngine(' hi'), tokenizer },
      { promptIds, maxNewTokens: 5, sampling: greedy, stop: [], logprobs: 1, echo: true },
    );
    expect(result.text).toBe('Say hi');
    expect(result.logprobs!.tokens).toEqual(['Say', ' hi']);
    expect(result.logprobs!.tokenLogprobs[0]).toBeNull();
    expect(result.logprobs!.topLogprobs[0]).toBeNull();
    expect(result.logprobs!.textOffset).toEqual([0, 3]);
    expect(result.completionTokens).toBe(1);
  });

  it('computes nothing for a request that did not ask', async () => {
    let asked: unknown = 'unset';
    const engine = scoringEngine(' hi');
    const result = await generateText(
      { engine: { ...engine, generate: (r) => ((asked = [r.logprobs, r.scorePrompt]), engine.generate(r)) }, tokenizer },
      { promptIds: [1], maxNewTokens: 5, sampling: greedy, stop: [], echo: true },
    );
    expect(asked).toEqual([undefined, undefined]);
    expect(result.logprobs).toBeUndefined();
  });
});
