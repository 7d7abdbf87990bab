import { describe, expect, it } from 'vitest';
import type { TokenLogprobs } from '../model-client.js';
import { keptSpan, keptTokenLogprobs } from './kept-tokens.js';

/** Logprobs for tokens as the server would send them: offsets from each token's length. */
function tokens(pieces: string[], logprobs: number[]): TokenLogprobs {
  let offset = 0;
  return { tokens: pieces, tokenLogprobs: logprobs, textOffset: pieces.map((piece) => ((offset += piece.length), offset - piece.length)) };
}

describe('keptSpan', () => {
  it('finds the kept continuation in the raw text, past leading space and markers', () => {
    expect(keptSpan(' Hello there. Bye', 'Hello there.')).toEqual({ start: 1, end: 13 });
    expect(keptSpan('<|endoftext|> Hi', 'Hi')).toEqual({ start: 14, end: 16 });
  });

  it('skips characters the cleaning took out', () => {
    expect(keptSpan('ab\u200Bcd', 'abcd')).toEqual({ start: 0, end: 5 });
  });

  it('gives up on text that is not in the raw text', () => {
    expect(keptSpan('cafe\u0301', 'café')).toBeUndefined();
    expect(keptSpan('abc', '')).toBeUndefined();
  });
});

describe('keptTokenLogprobs', () => {
  it("scores only the tokens the kept text covers: a cut draft's dropped tail does not count", () => {
    const logprobs = tokens([' one', '.', ' Let', ' o'], [-1, -2, -3, -9]);
    expect(keptTokenLogprobs(logprobs, ' one. Let o', 'one.')).toEqual([-1, -2]);
  });

  it('counts a token the cut went through', () => {
    const logprobs = tokens([' done', '.)', ' more'], [-1, -2, -3]);
    expect(keptTokenLogprobs(logprobs, ' done.) more', 'done.')).toEqual([-1, -2]);
  });

  it('leaves out the end-of-text marker and what follows it, and tokens without a log-probability', () => {
    const logprobs = tokens(['<|endoftext|>', ' Hi', '!', '<|endoftext|>', 'junk'], [null as unknown as number, -1, -2, -3, -4]);
    expect(keptTokenLogprobs({ ...logprobs, tokenLogprobs: [null, -1, -2, -3, -4] }, '<|endoftext|> Hi!<|endoftext|>junk', 'Hi!')).toEqual([-1, -2]);
  });

  it('puts a token of no characters (part of a split character) where it starts', () => {
    const logprobs: TokenLogprobs = { tokens: ['bytes:\\xf0\\x9f', 'bytes:\\x98\\x80', ' ok'], tokenLogprobs: [-1, -2, -3], textOffset: [0, 0, 2] };
    expect(keptTokenLogprobs(logprobs, '😀 ok', '😀')).toEqual([-1, -2]);
  });

  it('scores every token when the kept text cannot be found', () => {
    const logprobs = tokens(['cafe', '\u0301'], [-1, -2]);
    expect(keptTokenLogprobs(logprobs, 'cafe\u0301', 'café')).toEqual([-1, -2]);
  });
});
