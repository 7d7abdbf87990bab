import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { byteLevelTokenizer, gpt2Tokenizer, writeTokenizerFolder } from '../test/byte-level-tokenizer.js';
import { createTextTokenizer } from './text-tokenizer.js';
import { createTokenDecoder, loadTokenDecoder } from './token-decoder.js';
import type { TokenizerFiles } from './tokenizer-files.js';

/** A BERT-style WordPiece tokenizer: not byte-level, so only the library decodes it. */
const wordPiece: TokenizerFiles = {
  tokenizerJson: {
    version: '1.0',
    added_tokens: [
      { id: 0, content: '[UNK]', special: true },
      { id: 1, content: '[SEP]', special: true },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: { '[UNK]': 0, '[SEP]': 1, hello: 2, '##s': 3, world: 4 } },
  },
  tokenizerConfig: { eos_token: '[SEP]' },
};

describe('the decoder a model folder gets', () => {
  it('is the byte table for byte-level BPE: GPT-2 and the byte-per-id vocabulary', () => {
    expect(createTokenDecoder(gpt2Tokenizer())).toMatchObject({ decodePath: 'byte-table', eosTokenId: 50256, vocabSize: 50257 });
    expect(createTokenDecoder(byteLevelTokenizer())).toMatchObject({ decodePath: 'byte-table', eosTokenId: 256, vocabSize: 257 });
  });

  it('is the library tokenizer for anything else, decoding as it did', () => {
    const library = createTextTokenizer(wordPiece);
    const decoder = createTokenDecoder(wordPiece);
    expect(decoder).toMatchObject({ decodePath: 'library', eosTokenId: 1, bosTokenId: 1, vocabSize: 5 });
    expect(decoder).not.toHaveProperty('encode');
    const ids = library.encode('hellos world');
    expect(ids).toEqual([2, 3, 4]);
    expect(decoder.decode(ids)).toBe(library.decode(ids));
    expect(decoder.decode(ids)).toBe('hellos world');
  });

  it('loads a folder, and refuses a broken one as loadTextTokenizer does', async () => {
    const dir = await writeTokenizerFolder(byteLevelTokenizer(), { 'config.json': { bos_token_id: 65 } });
    try {
      expect(await loadTokenDecoder(dir)).toMatchObject({ decodePath: 'byte-table', eosTokenId: 256, bosTokenId: 256 });
      await rm(join(dir, 'tokenizer_config.json'));
      await expect(loadTokenDecoder(dir)).rejects.toThrow(/tokenizer_config\.json: missing/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
