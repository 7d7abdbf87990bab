import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFolderError } from '@mimicbot/model-format';
import { describe, expect, it } from 'vitest';
import { buildGpt2Tokenizer } from '@mimicbot/training';
import { loadTextTokenizer, loadTokenDecoder } from './tokenizer.js';
import { DEFAULT_MODEL_DIR } from '../config.js';
import { TokenizerFolderError } from './errors.js';

const gpt2 = buildGpt2Tokenizer();

describe("the server's tokenizer", () => {
  it('loads a folder with the real GPT-2 tokenizer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tok-'));
    try {
      await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(gpt2.tokenizerJson));
      await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(gpt2.tokenizerConfig));
      const tokenizer = await loadTextTokenizer(dir);
      expect(tokenizer.encode('Hello world<|endoftext|>')).toEqual([15496, 995, 50256]);
      expect(tokenizer).toMatchObject({ eosTokenId: 50256, bosTokenId: 50256, vocabSize: 50257 });
      // The main thread's decoder: GPT-2 is byte-level BPE, so a byte table that decodes as the library does.
      const decoder = await loadTokenDecoder(dir);
      expect(decoder).toMatchObject({ decodePath: 'byte-table', eosTokenId: 50256, bosTokenId: 50256, vocabSize: 50257 });
      const ids = tokenizer.encode('Hi 🦀 日本<|endoftext|>');
      for (let end = 1; end <= ids.length; end++) expect(decoder.decode(ids.slice(0, end))).toBe(tokenizer.decode(ids.slice(0, end)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("decodes the bundled default model's byte-level BPE with the byte table", async () => {
    const dir = DEFAULT_MODEL_DIR;
    const [tokenizer, decoder] = await Promise.all([loadTextTokenizer(dir), loadTokenDecoder(dir)]);
    expect(decoder).toMatchObject({ decodePath: 'byte-table', eosTokenId: tokenizer.eosTokenId, bosTokenId: tokenizer.bosTokenId, vocabSize: tokenizer.vocabSize });
    const ids = tokenizer.encode('default 🦀 model<|endoftext|>');
    expect(decoder.decode(ids)).toBe(tokenizer.decode(ids));
  });

  it("reports the format's errors as a TokenizerFolderError naming the file, in one printable line", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tok-'));
    try {
      const missing = await loadTextTokenizer(dir).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(TokenizerFolderError);
      expect(missing).toMatchObject({ file: join(dir, 'tokenizer.json'), message: `${join(dir, 'tokenizer.json')}: missing: a model folder needs tokenizer.json and tokenizer_config.json` });
      expect((missing as Error).cause).toBeInstanceOf(ModelFolderError);
      await writeFile(join(dir, 'tokenizer.json'), Buffer.from([0, 1, 2, 0x1b, 0xe2, 0x80, 0xae, 0xff]));
      await expect(loadTextTokenizer(dir)).rejects.toThrow(`${join(dir, 'tokenizer.json')}: not JSON: the file holds binary data`);
      await expect(loadTokenDecoder(dir)).rejects.toBeInstanceOf(TokenizerFolderError);
      await expect(loadTokenDecoder(dir)).rejects.toThrow(`${join(dir, 'tokenizer.json')}: not JSON: the file holds binary data`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
