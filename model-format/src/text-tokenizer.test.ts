import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { byteLevelTokenizer, writeTokenizerFolder } from '../test/byte-level-tokenizer.js';
import { ModelFolderError } from './model-folder-error.js';
import { createTextTokenizer, loadTextTokenizer } from './text-tokenizer.js';

const bytes = byteLevelTokenizer();

describe('text tokenizer', () => {
  it('round-trips text, emoji and <|endoftext|> byte for byte, adding nothing', () => {
    const tokenizer = createTextTokenizer(bytes);
    const text = 'Hello world 🦀 a . b<|endoftext|>';
    const ids = tokenizer.encode(text);
    expect(ids.slice(0, 2)).toEqual([72, 101]);
    expect(ids.at(-1)).toBe(256);
    expect(ids).toHaveLength(new TextEncoder().encode(text).length - '<|endoftext|>'.length + 1);
    expect(tokenizer.decode(ids)).toBe(text);
    expect(tokenizer.decode([])).toBe('');
  });

  it('takes EOS and BOS from tokenizer_config.json and the vocabulary size from tokenizer.json', () => {
    expect(createTextTokenizer(bytes)).toMatchObject({ eosTokenId: 256, bosTokenId: 256, vocabSize: 257 });
  });

  it('falls back to config.json, then generation_config.json, for EOS when tokenizer_config.json names none', () => {
    const tokenizerConfig = { ...bytes.tokenizerConfig, eos_token: undefined, bos_token: undefined };
    expect(createTextTokenizer({ ...bytes, tokenizerConfig, generationConfig: { eos_token_id: 42 } })).toMatchObject({ eosTokenId: 42, bosTokenId: 42 });
    expect(createTextTokenizer({ ...bytes, tokenizerConfig, generationConfig: { eos_token_id: 42 }, modelConfig: { eos_token_id: [7, 8] } })).toMatchObject({ eosTokenId: 7 });
  });

  it('refuses a folder without an end-of-text token, naming tokenizer_config.json', () => {
    const tokenizerConfig = { ...bytes.tokenizerConfig, eos_token: undefined };
    expect(() => createTextTokenizer({ ...bytes, tokenizerConfig }, '/m')).toThrow(/^\/m\/tokenizer_config\.json: no end-of-text token: set "eos_token"/);
  });

  it('loads a folder and says which file is missing or broken', async () => {
    const dir = await writeTokenizerFolder(bytes);
    try {
      expect((await loadTextTokenizer(dir)).encode('ok')).toEqual([111, 107]);
      await writeFile(join(dir, 'generation_config.json'), '{ nope');
      await expect(loadTextTokenizer(dir)).rejects.toThrow(/generation_config\.json: invalid JSON/);
      await rm(join(dir, 'generation_config.json'));
      await writeFile(join(dir, 'tokenizer_config.json'), '{ nope');
      await expect(loadTextTokenizer(dir)).rejects.toBeInstanceOf(ModelFolderError);
      await expect(loadTextTokenizer(dir)).rejects.toThrow(/tokenizer_config\.json: invalid JSON/);
      await rm(join(dir, 'tokenizer.json'));
      await expect(loadTextTokenizer(dir)).rejects.toThrow(/tokenizer\.json: missing/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
