import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelConfig } from '@mimicbot/model-format';
import { captureIo } from './capture-io.js';
import { parseInitArgs, runInit } from './init.js';
import { parseSampleArgs, runSample } from './sample.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('init', () => {
  it('writes a tiny byte-level model folder by default', async () => {
    const io = captureIo();
    expect(await runInit([join(root, 'tiny')], io)).toBe(0);
    expect(io.out()).toContain('2 layers x 2 heads x 32');
    expect(await readModelConfig(join(root, 'tiny'))).toMatchObject({ nLayer: 2, nHead: 2, nEmbd: 32, nPositions: 64, vocabSize: 257, eosTokenId: 256 });
  });

  it('takes the shape from flags, over the 124m shape', () => {
    expect(parseInitArgs(['x', '--shape', '124m']).config).toMatchObject({ nLayer: 12, nHead: 12, nEmbd: 768, nPositions: 1024, vocabSize: 50257, eosTokenId: 50256 });
    expect(parseInitArgs(['x', '--layers', '3', '--heads', '4', '--embd', '64', '--positions', '32', '--vocab', 'gpt2', '--seed', '9'])).toMatchObject({
      config: { nLayer: 3, nHead: 4, nEmbd: 64, nPositions: 32, vocabSize: 50257 },
      seed: 9,
      vocab: 'gpt2',
    });
  });

  it.each([
    [['a', 'b'], 'expected one output folder, got 2 arguments'],
    [['x', '--layers', '0'], '--layers must be an integer >= 1, got "0"'],
    [['x', '--vocab', 'words'], '--vocab must be "bytes" or "gpt2", got "words"'],
    [['x', '--heads', '5'], '--embd (32) must be divisible by --heads (5)'],
  ])('rejects %j with one line naming the problem, exit 2', async (argv, problem) => {
    const io = captureIo();
    expect(await runInit(argv, io)).toBe(2);
    expect(io.err().split('\n')[0]).toBe(`mimicbot: init: ${problem}`);
  });

  it('will not overwrite a folder without --force, and leaves it whole', async () => {
    const dir = join(root, 'kept');
    expect(await runInit([dir, '--seed', '1'], captureIo())).toBe(0);
    const io = captureIo();
    expect(await runInit([dir], io)).toBe(1);
    expect(io.err()).toBe(`mimicbot: ${dir}: already exists; choose another folder, or pass --force to replace it\n`);
    expect(await runInit([dir, '--force'], captureIo())).toBe(0);
    expect((await readdir(root)).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('sample', () => {
  const dir = () => join(root, 'sample-model');
  beforeAll(async () => {
    expect(await runInit([dir(), '--seed', '2'], captureIo())).toBe(0);
  });

  it('prints the prompt and a greedy continuation, the same every time', async () => {
    const first = captureIo();
    expect(await runSample([dir(), '--prompt', 'Hi', '--max-tokens', '5'], first)).toBe(0);
    const second = captureIo();
    await runSample([dir(), '--prompt', 'Hi', '--max-tokens', '5'], second);
    expect(first.out().startsWith('Hi')).toBe(true);
    expect(first.out().length).toBeGreaterThan(3);
    expect(second.out()).toBe(first.out());
  });

  it('samples with a seed: a seed repeats its text, another seed changes it', async () => {
    const run = async (seed: string) => {
      const io = captureIo();
      expect(await runSample([dir(), '--prompt', 'Hi', '--max-tokens', '12', '--temperature', '1.5', '--seed', seed], io)).toBe(0);
      return io.out();
    };
    const four = await run('4');
    expect(await run('4')).toBe(four);
    // Without this, a sampler that ignored --temperature and --seed (always greedy) would pass.
    expect(await run('5')).not.toBe(four);
  });

  it('names the missing file when the folder is not a model folder', async () => {
    const io = captureIo();
    expect(await runSample([join(root, 'nope')], io)).toBe(1);
    expect(io.err()).toBe(`mimicbot: ${join(root, 'nope', 'config.json')}: missing: is this a model folder?\n`);
  });

  it("takes the server's top-p and repetition penalty, off by default, and passes them to the sampler", async () => {
    expect(parseSampleArgs([dir()]).sampling).toEqual({ temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 0 });
    expect(parseSampleArgs([dir(), '--top-p', '0.9', '--repetition-penalty', '1.3', '--temperature', '0.7', '--seed', '3']).sampling).toEqual({
      temperature: 0.7,
      topK: 0,
      topP: 0.9,
      repetitionPenalty: 1.3,
      seed: 3,
    });
    // Greedy with a strong repetition penalty does not repeat a token of the prompt or of its own output.
    const run = async (...extra: string[]) => {
      const io = captureIo();
      expect(await runSample([dir(), '--prompt', 'aaaa', '--max-tokens', '12', ...extra], io), io.err()).toBe(0);
      return io.out().slice('aaaa'.length, -1);
    };
    const penalised = await run('--repetition-penalty', '1000');
    const ascii = penalised.replace(/[^\x20-\x7e]/g, '');
    expect(ascii).not.toContain('a');
    expect(new Set(ascii).size).toBe(ascii.length);
    expect(await run()).not.toBe(penalised);
  });

  it.each([
    [['--top-p', '0'], '--top-p must be a number above 0 and at most 1, got "0"'],
    [['--top-p', '1.5'], '--top-p must be a number above 0 and at most 1, got "1.5"'],
    [['--repetition-penalty', '0'], '--repetition-penalty must be a number above 0, got "0"'],
  ])('rejects %j with exit 2', async (flags, problem) => {
    const io = captureIo();
    expect(await runSample([dir(), ...flags], io)).toBe(2);
    expect(io.err().split('\n')[0]).toBe(`mimicbot: sample: ${problem}`);
  });

  it('rejects a bad temperature with exit 2', async () => {
    const io = captureIo();
    expect(await runSample([dir(), '--temperature', 'hot'], io)).toBe(2);
    expect(io.err().split('\n')[0]).toBe('mimicbot: sample: --temperature must be a number >= 0, got "hot"');
  });
});
