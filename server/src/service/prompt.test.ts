import { describe, expect, it } from 'vitest';
import { encodePrompt, MAX_CHARS_PER_PROMPT_TOKEN, newTokenBudget } from './prompt.js';

const limits = { maxPromptTokens: 10, contextLength: 16 };

/** Counts what it is asked to encode: one token per character. */
function countingDeps() {
  const encoded: string[] = [];
  return {
    encoded,
    deps: {
      tokenizer: { bosTokenId: 0, vocabSize: 100 },
      encoder: { encode: async (text: string) => (encoded.push(text), Array.from(text, () => 1)) },
    },
  };
}

describe('encodePrompt', () => {
  it(`refuses a prompt over ${MAX_CHARS_PER_PROMPT_TOKEN} characters per allowed token without tokenising it`, async () => {
    const { deps, encoded } = countingDeps();
    const long = 'x'.repeat(limits.maxPromptTokens * MAX_CHARS_PER_PROMPT_TOKEN + 1);
    await expect(encodePrompt(deps, long, limits)).rejects.toThrow(/^prompt: is 81 characters long; the limit is 80 \(8 × MAX_PROMPT_TOKENS\)$/);
    expect(encoded).toEqual([]);
  });

  it('refuses a prompt that leaves no room for a new token, naming the field', async () => {
    const { deps } = countingDeps();
    await expect(encodePrompt(deps, 'abcd', { maxPromptTokens: 10, contextLength: 4 }, 'prompt[2]')).rejects.toThrow(
      /^prompt\[2\]: is 4 tokens long and leaves no room for new tokens in the model's context of 4$/,
    );
  });

  it('starts an empty prompt from BOS', async () => {
    const { deps } = countingDeps();
    expect(await encodePrompt(deps, '', limits)).toEqual([0]);
  });
});

describe('newTokenBudget', () => {
  it('gives what was asked when it fits', () => {
    expect(newTokenBudget(6, 10, limits, 'refuse', 'max_tokens')).toBe(10);
  });

  it('clamps to the room the prompt leaves, as gpt-2-simple does', () => {
    expect(newTokenBudget(6, 256, limits, 'clamp', 'length')).toBe(10);
  });

  it('or refuses, naming the field and how many would fit', () => {
    expect(() => newTokenBudget(6, 11, limits, 'refuse', 'max_tokens')).toThrow(
      /^max_tokens: 11 new tokens after a 6-token prompt exceed the model's context of 16 tokens \(at most 10 fit\)$/,
    );
  });
});
