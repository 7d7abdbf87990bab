import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, writeTestModel } from '@mimicbot/server/testing';
import { loadTextTokenizer, type TextTokenizer } from './tokenizer.js';
import { spawnTokenizerWorker, startTokenizerThread, TokenizerThreadError } from './tokenizer-thread.js';

let root: string;
let modelDir: string;
let tokenizer: TextTokenizer;

beforeAll(async () => {
  root = await makeTempDir();
  modelDir = await writeTestModel(join(root, 'model'));
  tokenizer = await loadTextTokenizer(modelDir);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the tokenizer thread', () => {
  it('gives the same ids as the tokenizer on this thread, for concurrent prompts in any order', async () => {
    const thread = await startTokenizerThread(modelDir);
    try {
      const texts = ['Hello world', '🦀 crabs<|endoftext|>', '', 'x'.repeat(5000), ' spaced  out '];
      expect(await Promise.all(texts.map((text) => thread.encode(text)))).toEqual(texts.map((text) => tokenizer.encode(text)));
    } finally {
      await thread.close();
    }
    await expect(thread.encode('after close')).rejects.toBeInstanceOf(TokenizerThreadError);
  });

  it('fails what a dead worker held and starts a new worker for the next prompt', async () => {
    const workers: Worker[] = [];
    const thread = await startTokenizerThread(modelDir, (dir) => {
      const worker = spawnTokenizerWorker(dir);
      workers.push(worker);
      return worker;
    });
    try {
      const held = thread.encode('y'.repeat(60_000));
      await workers[0].terminate();
      await expect(held).rejects.toThrow(/the tokenizer thread stopped/);
      expect(await thread.encode('Hello')).toEqual([15496]);
      expect(workers).toHaveLength(2);
    } finally {
      await thread.close();
    }
  });

  it('refuses to start on a folder without a usable tokenizer, naming the folder', async () => {
    const broken = await writeTestModel(join(root, 'broken'));
    await unlink(join(broken, 'tokenizer.json'));
    await expect(startTokenizerThread(broken)).rejects.toThrow(/the tokenizer thread cannot load .*broken.*tokenizer\.json/);
  });
});
