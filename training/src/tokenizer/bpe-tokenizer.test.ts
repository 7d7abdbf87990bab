import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { fortuneCorpus } from '../train/fortune-corpus.js';
import { BpeEncoder } from '@mimicbot/training/testing';
import { bpeTokenizerFiles, tokenizerVocabulary } from './bpe-tokenizer.js';
import type { LearnedBpe } from './learned-bpe.js';
import { END_OF_TEXT } from './tokenizer-json.js';
import { trainBpe } from './train-bpe.js';

/** Debian's fortunes (installed by CI: `apt-get install fortunes`), the default model's corpus. */
function fortunes(): string[] {
  const dir = '/usr/share/games/fortunes';
  const files = readdirSync(dir)
    .filter((name) => !name.includes('.') && statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'));
  return fortuneCorpus(files, { maxChars: 10_000 });
}

const varied = [
  'Hello world',
  ' leading space and trailing space ',
  'tabs\tand\nnew\n\nlines\r\n',
  'many     spaces   between\n\n\n   and runs of newlines\n',
  "it's we're they've I'm you'll he'd IT'S",
  'émigré naïve façade Ωμέγα',
  '日本語のテキスト と 中文, 한국어',
  'emoji 🎉🤖👩‍👩‍👧 and flags 🇫🇷, skin tones 👍🏽',
  'numbers 1234567 3.14159 -42 ½',
  '@someone #hashtag https://example.org/a?b=c&d=e',
  '"Quoted," she said -- "and -- dashes..."\n\t\t-- Mark Twain',
  'zero\u0000width\u200bjoiner and \u007f delete',
  '',
];

describe('a BPE learned from the fortunes, as tokenizer.json', () => {
  let corpus: string[];
  let learned: LearnedBpe;
  let reference: BpeEncoder;
  let hf: Tokenizer;
  beforeAll(() => {
    corpus = fortunes();
    learned = trainBpe(corpus, { vocabSize: 2048 });
    reference = new BpeEncoder(learned);
    const files = bpeTokenizerFiles(learned, 256);
    hf = new Tokenizer(files.tokenizerJson, files.tokenizerConfig);
  });

  it('has the vocabulary size asked for, <|endoftext|> last', () => {
    expect(learned.tokens).toHaveLength(2047);
    expect(hf.get_vocab().size).toBe(2048);
    expect(hf.token_to_id(END_OF_TEXT)).toBe(2047);
    expect(tokenizerVocabulary(bpeTokenizerFiles(learned, 256))).toEqual({ vocabSize: 2048, endOfTextId: 2047 });
  });

  it('encodes varied text with @huggingface/tokenizers exactly as our reference encoder does', () => {
    for (const text of varied) expect(hf.encode(text, { add_special_tokens: false }).ids, JSON.stringify(text)).toEqual(reference.encode(text));
  });

  it('encodes the corpus exactly as our reference encoder does', () => {
    // Every eighth entry: ~1,900 posts, 0.3 MB (all of them take minutes on a loaded two-core machine).
    const sample = corpus.filter((_, i) => i % 8 === 0);
    let tokens = 0;
    for (const text of sample) {
      const ids = reference.encode(text);
      tokens += ids.length;
      expect(hf.encode(text, { add_special_tokens: false }).ids).toEqual(ids);
    }
    // Learned merges make a post far shorter than its bytes (2.8 bytes a token at 2,048 ids).
    const bytes = sample.reduce((n, text) => n + Buffer.byteLength(text), 0);
    expect(bytes / tokens).toBeGreaterThan(2.5);
  }, 180_000);

  it('decodes back to exactly the text it encoded', () => {
    for (const text of [...varied.filter((t) => t !== ''), ...corpus.slice(0, 1000)]) {
      expect(hf.decode(hf.encode(text, { add_special_tokens: false }).ids)).toBe(text);
      expect(reference.decode(reference.encode(text))).toBe(text);
    }
  });

  it('keeps <|endoftext|> one special id, and drops it when asked', () => {
    const ids = hf.encode(`Brevity is the soul of wit.${END_OF_TEXT}Next`, { add_special_tokens: false }).ids;
    expect(ids).toEqual(reference.encode(`Brevity is the soul of wit.${END_OF_TEXT}Next`));
    expect(ids.filter((id: number) => id === 2047)).toHaveLength(1);
    expect(hf.decode(ids, { skip_special_tokens: true })).toBe('Brevity is the soul of wit.Next');
  });
});
