import { describe, expect, it } from 'vitest';
import { byteLevelTokenizer, gpt2Tokenizer } from '../test/byte-level-tokenizer.js';
import { createByteLevelDecoder, type TokenDecoder } from './byte-level-decoder.js';
import { createTextTokenizer, type TextTokenizer, type TokenizerSources } from './text-tokenizer.js';
import type { TokenizerFiles } from './tokenizer-files.js';

type Json = Record<string, unknown>;

const gpt2Files = gpt2Tokenizer();
const gpt2 = createTextTokenizer(gpt2Files);
const gpt2Table = tableOf(gpt2Files);

function tableOf(sources: TokenizerSources): TokenDecoder {
  const table = createByteLevelDecoder(sources);
  if (table === undefined) throw new Error('expected a byte table');
  return table;
}

/** A copy of `files` with tokenizer.json's model or decoder changed. */
function withJson(files: TokenizerFiles, change: (json: Json) => void): TokenizerFiles {
  const tokenizerJson = structuredClone(files.tokenizerJson) as Json;
  change(tokenizerJson);
  return { ...files, tokenizerJson };
}

/** A small deterministic generator (mulberry32), so a failing sequence is the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expectSameDecoding(library: TextTokenizer, table: TokenDecoder, ids: number[]): void {
  expect(table.decode(ids), JSON.stringify(ids)).toBe(library.decode(ids));
}

describe('the byte-level decoder on GPT-2', () => {
  it('has the library tokenizer special ids and vocabulary size', () => {
    expect(gpt2Table).toMatchObject({ eosTokenId: 50256, bosTokenId: 50256, vocabSize: 50257 });
    expect({ eos: gpt2Table.eosTokenId, bos: gpt2Table.bosTokenId, size: gpt2Table.vocabSize }).toEqual({ eos: gpt2.eosTokenId, bos: gpt2.bosTokenId, size: gpt2.vocabSize });
  });

  it('decodes every id alone, and names its entry, as the library does', () => {
    for (let id = 0; id < gpt2.vocabSize; id++) {
      if (gpt2Table.decode([id]) !== gpt2.decode([id])) expectSameDecoding(gpt2, gpt2Table, [id]);
      if (gpt2Table.idToToken!(id) !== gpt2.idToToken!(id)) expect(gpt2Table.idToToken!(id)).toBe(gpt2.idToToken!(id));
    }
    expect(gpt2Table.idToToken!(50256)).toBe('<|endoftext|>');
    expect(gpt2Table.idToToken!(50257)).toBeUndefined();
    expect(gpt2Table.idToToken!(-1)).toBeUndefined();
  });

  it('decodes every window of text whose tokens split emoji, CJK and accents, as the library does', () => {
    const texts = [
      'Hello 🦀 world! 👩‍👩‍👧 family',
      '日本語のテキスト、中文文本。한국어',
      'café naïve Ωμέγα ẞ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
      '\uFEFFa byte-order mark first<|endoftext|>\uFEFF and after',
      '<|endoftext|>🤖<|endoftext|>🦀🦀 x',
    ];
    let windows = 0;
    for (const text of texts) {
      const ids = gpt2.encode(text);
      expect(gpt2Table.decode(ids)).toBe(text);
      for (let start = 0; start < ids.length; start++) {
        for (let end = start + 1; end <= ids.length; end++, windows++) expectSameDecoding(gpt2, gpt2Table, ids.slice(start, end));
      }
    }
    // The windows do cut characters: some decode to U+FFFD.
    const crab = gpt2.encode('🦀');
    expect(crab.length).toBeGreaterThan(1);
    expect(gpt2Table.decode(crab.slice(0, 1))).toContain('\uFFFD');
    expect(windows).toBeGreaterThan(1000);
  });

  it('decodes random id sequences mixing partial bytes, <|endoftext|> and ids past the vocabulary as the library does', () => {
    const next = random(1);
    // Ids holding bytes outside printable ASCII (lone continuation and lead bytes among them), to break UTF-8 often.
    const highBytes = Array.from({ length: gpt2.vocabSize }, (_, id) => id).filter((id) => /[^\x20-\x7e]/.test(gpt2.decode([id])));
    for (let run = 0; run < 3000; run++) {
      const ids = Array.from({ length: 1 + Math.floor(next() * 12) }, () => {
        const pick = next();
        if (pick < 0.1) return 50256;
        if (pick < 0.15) return 50257 + Math.floor(next() * 10);
        if (pick < 0.6) return highBytes[Math.floor(next() * highBytes.length)];
        return Math.floor(next() * 50257);
      });
      expectSameDecoding(gpt2, gpt2Table, ids);
    }
  });

  it('decodes no ids as no text', () => {
    expect(gpt2Table.decode([])).toBe('');
  });
});

describe('the byte-level decoder on other byte-level vocabularies', () => {
  const bytes = byteLevelTokenizer();

  it('writes an added token as its content, also where a vocabulary entry spells the same, as the library does', () => {
    const files = withJson(bytes, (json) => {
      (json.added_tokens as Json[]).push({ id: 257, content: 'Ã©', special: false }, { id: 258, content: '<|é|>', special: true });
    });
    const library = createTextTokenizer(files);
    const table = tableOf(files);
    // 'Ã' and '©' are bytes 0xC3 and 0xA9 in the alphabet, but the added token 'Ã©' is written as itself.
    for (const ids of [[257], [258], [0xc3, 257, 0xa9], [0xc3, 0xa9], [0xf0, 258, 0x9f], [258, 0xa9, 0x41], [999]]) expectSameDecoding(library, table, ids);
    expect(table.decode([257])).toBe('Ã©');
    expect(table.idToToken!(258)).toBe(library.idToToken!(258));
    expect(table.vocabSize).toBe(library.vocabSize);
  });

  it('decodes ids without an entry as the model unk_token, as the library does', () => {
    const files = withJson(bytes, (json) => {
      const model = json.model as Json;
      model.unk_token = '<|endoftext|>';
      model.vocab = { ...(model.vocab as Json), gap: 300 };
    });
    const library = createTextTokenizer(files);
    const table = tableOf(files);
    for (const ids of [[280], [0x41, 299, 0x42], [300], [100000]]) expectSameDecoding(library, table, ids);
    expect(table.vocabSize).toBe(library.vocabSize);
    expect(table.idToToken!(280)).toBeUndefined();
  });

  it('resolves the special ids as the library tokenizer does, from the same configs', () => {
    const tokenizerConfig = { ...bytes.tokenizerConfig, eos_token: undefined, bos_token: { content: 'A' } };
    const cases: TokenizerSources[] = [
      bytes,
      { ...bytes, tokenizerConfig, generationConfig: { eos_token_id: 42 } },
      { ...bytes, tokenizerConfig, generationConfig: { eos_token_id: 42 }, modelConfig: { eos_token_id: [7, 8], bos_token_id: 9 } },
    ];
    for (const sources of cases) {
      const { eosTokenId, bosTokenId } = createTextTokenizer(sources);
      expect(tableOf(sources)).toMatchObject({ eosTokenId, bosTokenId });
    }
    expect(() => tableOf({ ...bytes, tokenizerConfig: { eos_token: 'nope' } })).toThrow(/no end-of-text token/);
  });
});

describe('what the byte table leaves to the library', () => {
  const bytes = byteLevelTokenizer();
  const cases: [string, TokenizerFiles][] = [
    ['a WordPiece tokenizer', withJson(bytes, (json) => (json.decoder = { type: 'WordPiece', prefix: '##', cleanup: true }))],
    ['a Metaspace decoder', withJson(bytes, (json) => (json.decoder = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true }))],
    ['a decoder sequence', withJson(bytes, (json) => (json.decoder = { type: 'Sequence', decoders: [json.decoder] }))],
    ['a model that is not BPE', withJson(bytes, (json) => ((json.model as Json).type = 'WordPiece'))],
    ['an entry outside the byte alphabet', withJson(bytes, (json) => ((json.model as Json).vocab = { ...((json.model as Json).vocab as Json), '▁word': 257 }))],
    ['an end-of-word suffix', withJson(bytes, (json) => ((json.model as Json).end_of_word_suffix = '</w>'))],
    ['ids far past the vocabulary', withJson(bytes, (json) => ((json.model as Json).vocab = { ...((json.model as Json).vocab as Json), far: 1e9 }))],
    ['no added_tokens list', withJson(bytes, (json) => delete json.added_tokens)],
  ];
  it.each(cases)('%s', (_, files) => {
    expect(createByteLevelDecoder(files)).toBeUndefined();
  });
});
