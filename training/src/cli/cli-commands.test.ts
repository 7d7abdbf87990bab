import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelConfig } from '@mimicbot/model-format';
import { captureIo, commandRunner } from '@mimicbot/training/testing';
import { initShape } from './init.js';

const runInit = commandRunner('init');
const runSample = commandRunner('sample');

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

  it('takes the shape from the options, over the 124m shape', () => {
    expect(initShape({ shape: '124m' }).config).toMatchObject({ nLayer: 12, nHead: 12, nEmbd: 768, nPositions: 1024, vocabSize: 50257, eosTokenId: 50256 });
    expect(initShape({ shape: 'tiny', layers: 3, heads: 4, embd: 64, positions: 32, vocab: 'gpt2' })).toMatchObject({
      config: { nLayer: 3, nHead: 4, nEmbd: 64, nPositions: 32, vocabSize: 50257 },
      vocab: 'gpt2',
    });
  });

  it('writes the shape and seed the options give', async () => {
    const io = captureIo();
    expect(await runInit([join(root, 'shaped'), '--layers', '3', '--heads', '4', '--embd', '16', '--positions', '8', '--seed', '9'], io)).toBe(0);
    expect(io.out()).toContain('3 layers x 4 heads x 16, 8 positions, vocab 257 (bytes), seed 9');
    expect(await readModelConfig(join(root, 'shaped'))).toMatchObject({ nLayer: 3, nHead: 4, nEmbd: 16, nPositions: 8 });
  });

  it.each([
    [['a', 'b'], 'expected <out-dir>, got "a" "b"'],
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
    const plain = await run();
    expect(plain).not.toBe(penalised);
    // Off by default: the same as asking for top-p 1 and penalty 1 explicitly.
    expect(await run('--top-p', '1', '--repetition-penalty', '1')).toBe(plain);
    // Top-p changes sampled text: with a tiny nucleus, sampling at any temperature is greedy.
    expect(await run('--temperature', '1.5', '--seed', '3', '--top-p', '0.001')).toBe(plain);
  });

  it.each([
    [['--top-p', '0'], '--top-p must be a number from 0.001 to 1, got "0"'],
    [['--top-p', '1.5'], '--top-p must be a number from 0.001 to 1, got "1.5"'],
    [['--repetition-penalty', '0'], '--repetition-penalty must be a number >= 0.01, got "0"'],
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
