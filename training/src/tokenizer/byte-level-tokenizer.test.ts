import { rm } from 'node:fs/promises';
import type { Tokenizer } from '@huggingface/tokenizers';
import { loadTokenizer } from '@mimicbot/model-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BYTE_LEVEL_VOCAB_SIZE, buildByteLevelTokenizer } from './byte-level-tokenizer.js';
import { writeTokenizerFolder } from '@mimicbot/training/testing';

describe('the byte-level tokenizer', () => {
  let dir: string;
  let tokenizer: Tokenizer;
  beforeAll(async () => {
    dir = await writeTokenizerFolder(buildByteLevelTokenizer());
    tokenizer = await loadTokenizer(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('has 257 ids: the 256 bytes and <|endoftext|>', () => {
    expect(BYTE_LEVEL_VOCAB_SIZE).toBe(257);
    expect(tokenizer.get_vocab().size).toBe(257);
    expect(tokenizer.token_to_id('<|endoftext|>')).toBe(256);
  });

  it('encodes text as its UTF-8 bytes', () => {
    for (const text of ['Hello world', 'naïve 🎉', '\t\n  \u0000\u007f']) {
      expect(tokenizer.encode(text).ids).toEqual([...new TextEncoder().encode(text)]);
    }
  });

  it('decodes any UTF-8 byte sequence back to its text', () => {
    const text = 'émoji 🤖 日本 \r\n\ttabs  spaces';
    expect(tokenizer.decode([...new TextEncoder().encode(text)])).toBe(text);
  });

  it('keeps <|endoftext|> whole', () => {
    expect(tokenizer.encode('a<|endoftext|>').ids).toEqual([97, 256]);
    expect(tokenizer.decode([97, 256], { skip_special_tokens: true })).toBe('a');
  });
});
