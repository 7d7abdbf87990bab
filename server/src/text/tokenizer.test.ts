import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGpt2Tokenizer } from '@mimicbot/training';
import { createTextTokenizer, loadTextTokenizer } from './tokenizer.js';
import { TokenizerFolderError } from './errors.js';

const gpt2 = buildGpt2Tokenizer();

describe('text tokenizer', () => {
  it('round-trips text, emoji and <|endoftext|> through the real GPT-2 tokenizer', () => {
    const tokenizer = createTextTokenizer(gpt2);
    const text = 'Hello world 🦀 a . b<|endoftext|>';
    const ids = tokenizer.encode(text);
    expect(ids.at(-1)).toBe(50256);
    expect(tokenizer.decode(ids)).toBe(text);
    expect(tokenizer.encode('Hello')).toEqual([15496]);
  });

  it('takes EOS and BOS from tokenizer_config.json and the vocabulary size from tokenizer.json', () => {
    const tokenizer = createTextTokenizer(gpt2);
    expect(tokenizer.eosTokenId).toBe(50256);
    expect(tokenizer.bosTokenId).toBe(50256);
    expect(tokenizer.vocabSize).toBe(50257);
  });

  it('falls back to generation_config.json for EOS when tokenizer_config.json names none', () => {
    const tokenizerConfig = { ...gpt2.tokenizerConfig, eos_token: undefined, bos_token: undefined };
    const tokenizer = createTextTokenizer({ ...gpt2, tokenizerConfig, generationConfig: { eos_token_id: 42 } });
    expect(tokenizer.eosTokenId).toBe(42);
    expect(tokenizer.bosTokenId).toBe(42);
  });

  it('refuses a folder without an end-of-text token, naming tokenizer_config.json', () => {
    const tokenizerConfig = { ...gpt2.tokenizerConfig, eos_token: undefined };
    expect(() => createTextTokenizer({ ...gpt2, tokenizerConfig }, '/m')).toThrow(/tokenizer_config\.json.*eos_token/);
  });

  it('loads a folder and says which file is missing or broken', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tok-'));
    try {
      await expect(loadTextTokenizer(dir)).rejects.toThrow(/tokenizer\.json: cannot read/);
      await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(gpt2.tokenizerJson));
      await writeFile(join(dir, 'tokenizer_config.json'), '{ nope');
      await expect(loadTextTokenizer(dir)).rejects.toBeInstanceOf(TokenizerFolderError);
      await expect(loadTextTokenizer(dir)).rejects.toThrow(/tokenizer_config\.json: invalid JSON/);
      await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(gpt2.tokenizerConfig));
      const tokenizer = await loadTextTokenizer(dir);
      expect(tokenizer.decode(tokenizer.encode('ok'))).toBe('ok');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
