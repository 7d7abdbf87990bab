import { rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterEach, describe, expect, it } from 'vitest';
import { buildByteLevelTokenizer } from './byte-level-tokenizer.js';
import { buildGpt2Tokenizer } from './gpt2-tokenizer.js';
import { writeTokenizerFolder } from '@mimicbot/training/testing';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Loads a folder the way the transformers.js pipeline does: local files only, by folder name. */
async function loadWithTransformersJs(dir: string) {
  env.allowRemoteModels = false;
  env.localModelPath = `${dirname(dir)}/`;
  return AutoTokenizer.from_pretrained(basename(dir));
}

describe('transformers.js', () => {
  it('loads the GPT-2 tokenizer files unchanged and encodes like we do', async () => {
    const dir = await writeTokenizerFolder(buildGpt2Tokenizer());
    folders.push(dir);
    const tokenizer = await loadWithTransformersJs(dir);
    expect(tokenizer.encode('Hello world')).toEqual([15496, 995]);
    expect(tokenizer.decode(tokenizer.encode('naïve 🎉  x'))).toBe('naïve 🎉  x');
    expect(tokenizer.eos_token_id).toBe(50256);
  });

  it('loads the byte-level tokenizer files unchanged', async () => {
    const dir = await writeTokenizerFolder(buildByteLevelTokenizer());
    folders.push(dir);
    const tokenizer = await loadWithTransformersJs(dir);
    expect(tokenizer.encode('hé')).toEqual([104, 195, 169]);
    expect(tokenizer.eos_token_id).toBe(256);
  });
});
