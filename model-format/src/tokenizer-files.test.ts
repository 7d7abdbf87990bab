import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { byteLevelTokenizer, writeTokenizerFolder } from '../test/byte-level-tokenizer.js';
import { ModelFolderError } from './model-folder-error.js';
import { createTokenizer, loadTokenizer, readTokenizerFiles, writeTokenizerFiles } from './tokenizer-files.js';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function folder(extra: Record<string, string | object> = {}): Promise<string> {
  const dir = await writeTokenizerFolder(byteLevelTokenizer(), extra);
  folders.push(dir);
  return dir;
}

describe('loadTokenizer', () => {
  it('loads a tokenizer folder with @huggingface/tokenizers', async () => {
    const tokenizer = await loadTokenizer(await folder());
    expect(tokenizer.encode('hé', { add_special_tokens: false }).ids).toEqual([104, 195, 169]);
  });

  it('names the missing file', async () => {
    const dir = await folder();
    await rm(join(dir, 'tokenizer.json'));
    const error = await loadTokenizer(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFolderError);
    expect(error).toMatchObject({
      code: 'TOKENIZER_NOT_FOUND',
      file: join(dir, 'tokenizer.json'),
      message: `${join(dir, 'tokenizer.json')}: missing: a model folder needs tokenizer.json and tokenizer_config.json`,
    });
  });

  it('names the file that is not JSON', async () => {
    const dir = await folder({ 'tokenizer_config.json': '{ nope' });
    await expect(loadTokenizer(dir)).rejects.toMatchObject({ code: 'TOKENIZER_INVALID', message: expect.stringMatching(/tokenizer_config\.json: invalid JSON/) });
  });

  it('reports a garbage tokenizer.json in one printable line, echoing none of its bytes', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'tokenizer.json'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x1b, 0x5d, 0x32, 0x3b, 0xe2, 0x80, 0xae]));
    const error = (await loadTokenizer(dir).catch((e: unknown) => e)) as ModelFolderError;
    expect(error.message).toBe(`${join(dir, 'tokenizer.json')}: not JSON: the file holds binary data`);
  });

  it('reports JSON the library cannot use, keeping its message printable', async () => {
    const dir = await folder({ 'tokenizer.json': { model: { type: 'X\u0000\u202E' } } });
    const error = (await loadTokenizer(dir).catch((e: unknown) => e)) as ModelFolderError;
    expect(error).toMatchObject({ code: 'TOKENIZER_INVALID', file: join(dir, 'tokenizer.json') });
    expect(error.message).toMatch(/tokenizer\.json: not a usable tokenizer: Error: /);
    expect(error.message).toMatch(/^[^\p{Cc}\p{Cf}]*$/u);
  });
});

describe('readTokenizerFiles', () => {
  it('reads both files as objects, as writeTokenizerFiles wrote them', async () => {
    expect(await readTokenizerFiles(await folder())).toEqual(byteLevelTokenizer());
    const dir = await folder();
    const files = { tokenizerJson: { ...byteLevelTokenizer().tokenizerJson, padding: null }, tokenizerConfig: { eos_token: '<|endoftext|>' } };
    await writeTokenizerFiles(dir, files);
    expect(await readTokenizerFiles(dir)).toEqual(files);
  });

  it('uses the default tokenizer_config.json only when asked and only when the file is missing', async () => {
    const dir = await folder();
    await rm(join(dir, 'tokenizer_config.json'));
    await expect(readTokenizerFiles(dir)).rejects.toMatchObject({ code: 'TOKENIZER_NOT_FOUND', file: join(dir, 'tokenizer_config.json') });
    expect((await readTokenizerFiles(dir, { defaultTokenizerConfig: { eos_token: 'x' } })).tokenizerConfig).toEqual({ eos_token: 'x' });
  });
});

describe('createTokenizer', () => {
  it('names tokenizer.json in the folder given', () => {
    expect(() => createTokenizer({ tokenizerJson: {}, tokenizerConfig: {} }, '/m')).toThrow('/m/tokenizer.json: not a usable tokenizer: Error: Tokenizer must contain a "model" property');
  });
});
