import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterEach, describe, expect, it } from 'vitest';
import { learnBpeFolder } from './learn-bpe-folder.js';
import { loadTokenizer } from '@mimicbot/model-format';

/** A stream that claims to be a terminal and keeps what the progress bar draws. */
function fakeTerminal() {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number; cursorTo(): boolean; clearLine(): boolean; moveCursor(): boolean };
  Object.assign(stream, { isTTY: true, columns: 200, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

const texts = Array.from({ length: 200 }, (_, i) => `Fortune ${i}: you will meet a tall, dark stranger on day ${i % 7}.`);
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('learnBpeFolder', () => {
  it('writes a tokenizer folder that @huggingface/tokenizers loads, showing the merges on a progress bar', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bpe-folder-'));
    dirs.push(dir);
    const terminal = fakeTerminal();
    const merges = await learnBpeFolder(texts, dir, { vocabSize: 300, modelMaxLength: 128, progress: terminal.stream });
    expect(merges).toBe(300 - 257);
    expect(terminal.text()).toMatch(/bpe \[.*\] \d+% \| \d+\/43 merges/);
    const tokenizer = await loadTokenizer(dir);
    expect(tokenizer.get_vocab().size).toBe(300);
    const ids = tokenizer.encode('Fortune 3: you will meet a tall, dark stranger').ids;
    expect(ids.length).toBeLessThan(20);
    expect(tokenizer.decode(ids)).toBe('Fortune 3: you will meet a tall, dark stranger');
  });

  it('writes a folder that transformers.js loads unchanged and encodes the same way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bpe-folder-'));
    dirs.push(dir);
    await learnBpeFolder(texts, dir, { vocabSize: 300, modelMaxLength: 128 });
    env.allowRemoteModels = false;
    env.localModelPath = `${dirname(dir)}/`;
    const tokenizer = await AutoTokenizer.from_pretrained(basename(dir));
    const text = 'Fortune 12: you will meet a tall, dark stranger 🎉';
    expect(tokenizer.encode(text)).toEqual((await loadTokenizer(dir)).encode(text).ids);
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    expect(tokenizer.eos_token_id).toBe(299);
  });

  it('says so when the texts cannot fill the vocabulary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bpe-folder-'));
    dirs.push(dir);
    await expect(learnBpeFolder(['abc abc'], dir, { vocabSize: 5000, modelMaxLength: 128 })).rejects.toThrow(/only 259 ids learned, not 5000/);
  });
});
