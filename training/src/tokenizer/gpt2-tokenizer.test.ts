import { rm } from 'node:fs/promises';
import type { Tokenizer } from '@huggingface/tokenizers';
import { loadTokenizer } from '@mimicbot/model-format';
import { encode as referenceEncode } from 'gpt-3-encoder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGpt2Tokenizer, parseMerges } from './gpt2-tokenizer.js';
import { writeTokenizerFolder } from '@mimicbot/training/testing';

const samples = [
  'Hello world',
  ' leading space and trailing space ',
  'tabs\tand\nnew\n\nlines\r\n',
  'many     spaces   between',
  "it's we're they've I'm you'll he'd",
  'émigré naïve façade Ωμέγα',
  '日本語のテキスト と 中文',
  'emoji 🎉🤖👩‍👩‍👧 and flags 🇫🇷',
  'numbers 1234567 3.14159 -42',
  '@someone #hashtag https://example.org/a?b=c&d=e',
  '',
];

describe('the GPT-2 tokenizer', () => {
  let dir: string;
  let tokenizer: Tokenizer;
  beforeAll(async () => {
    dir = await writeTokenizerFolder(buildGpt2Tokenizer());
    tokenizer = await loadTokenizer(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('encodes "Hello world" as [15496, 995]', () => {
    expect(tokenizer.encode('Hello world').ids).toEqual([15496, 995]);
  });

  it('has 50,257 ids and 50,000 merges', () => {
    const { tokenizerJson } = buildGpt2Tokenizer() as { tokenizerJson: { model: { vocab: object; merges: unknown[] } } };
    expect(Object.keys(tokenizerJson.model.vocab)).toHaveLength(50257);
    expect(tokenizerJson.model.merges).toHaveLength(50000);
    expect(tokenizer.get_vocab().size).toBe(50257);
  });

  it('gives the same ids as the gpt-3-encoder reference implementation', () => {
    for (const text of samples) {
      expect(tokenizer.encode(text).ids, text).toEqual(referenceEncode(text));
    }
  });

  it('decodes back to exactly the input text, whitespace and unicode included', () => {
    for (const text of samples.filter((s) => s !== '')) {
      expect(tokenizer.decode(tokenizer.encode(text).ids)).toBe(text);
    }
  });

  it('treats <|endoftext|> as the single special token 50256', () => {
    expect(tokenizer.encode('bye<|endoftext|>').ids).toEqual([16390, 50256]);
    expect(tokenizer.decode([16390, 50256])).toBe('bye<|endoftext|>');
    expect(tokenizer.decode([16390, 50256], { skip_special_tokens: true })).toBe('bye');
  });

  it('does not add a prefix space or a BOS token', () => {
    expect(tokenizer.encode('world').ids).toEqual([6894]);
    expect(tokenizer.encode(' world').ids).toEqual([995]);
  });
});

describe('parseMerges', () => {
  it('skips the version line and splits each rule in two', () => {
    expect(parseMerges('#version: 0.2\nĠ t\nh e\n')).toEqual([
      ['Ġ', 't'],
      ['h', 'e'],
    ]);
  });

  it('rejects a line without two halves', () => {
    expect(() => parseMerges('#version: 0.2\nlonely\n')).toThrow(/bad merge line/);
  });
});
