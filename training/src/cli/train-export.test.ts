import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHfCheckpoint } from '../checkpoint/index.js';
import { readModelCard, readModelConfig } from '@mimicbot/model-format';
import { learnBpeFolder } from '../tokenizer/learn-bpe-folder.js';
import { loadTrainingCheckpoint } from '../train/training-checkpoint.js';
import { captureIo, commandRunner } from '@mimicbot/training/testing';

const runTrain = commandRunner('train');
const runExport = commandRunner('export');
const runSample = commandRunner('sample');

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'train-cli-'));
  await mkdir(join(root, 'data'));
  const posts = ['the cat sat on the mat.', 'the dog sat on the log.', 'a bird sang in the tree.'];
  await writeFile(join(root, 'data/train.txt'), posts.map((p) => `${p}<|endoftext|>`).join(''));
  await writeFile(join(root, 'data/valid.txt'), 'the cat sat on the log.<|endoftext|>');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const tiny = ['--layers', '1', '--heads', '2', '--embd', '16', '--positions', '32', '--batch', '2', '--seq', '16', '--threads', '1'];

describe('train and export commands', () => {
  it('trains from scratch, checkpoints, resumes to more steps, and exports a model folder that samples', async () => {
    const out = join(root, 'run');
    const io = captureIo();
    const code = await runTrain(['--data', join(root, 'data'), '--out', out, ...tiny, '--steps', '6', '--eval-every', '3', '--checkpoint-every', '3', '--samples', '1', '--sample-tokens', '8'], io);
    expect(code, io.err()).toBe(0);
    expect(io.out()).toMatch(/step 0: validation loss [\d.]+, perplexity [\d.]+/);
    expect(io.out()).toMatch(/step 6: validation loss/);
    expect(io.out()).toContain('--- seed 1');
    expect(await readFile(join(out, 'loss-curve.svg'), 'utf8')).toContain('<svg');
    expect((await loadTrainingCheckpoint(join(out, 'checkpoint'))).step).toBe(6);

    const resumed = captureIo();
    expect(await runTrain(['--data', join(root, 'data'), '--out', out, ...tiny, '--steps', '9', '--resume', '--samples', '0'], resumed), resumed.err()).toBe(0);
    expect(resumed.err()).toContain('(step 6)');
    const state = await loadTrainingCheckpoint(join(out, 'checkpoint'));
    expect(state.step).toBe(9);
    expect(state.optimizer.step).toBe(9);
    expect(state.trainLoss).toHaveLength(9);

    const model = join(root, 'model');
    const exported = captureIo();
    expect(await runExport([join(out, 'checkpoint'), model], exported), exported.err()).toBe(0);
    for (const file of ['model.onnx', 'onnx/model.onnx', 'server_decoder.onnx', 'config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'README.md']) {
      expect(existsSync(join(model, file)), file).toBe(true);
    }
    // The checkpoint's card says how it was trained, and export carries it into the model folder.
    expect(await readModelCard(model)).toMatchObject({ title: 'model', description: expect.stringMatching(/^Trained by mimicbot for 9 steps\. A GPT-2 with 1 layers/) });
    expect(await readModelConfig(model)).toMatchObject({ nLayer: 1, nHead: 2, nEmbd: 16, nPositions: 32, vocabSize: 257 });
    const sampled = captureIo();
    expect(await runSample([model, '--prompt', 'the ', '--max-tokens', '5'], sampled), sampled.err()).toBe(0);
    expect(sampled.out().startsWith('the ')).toBe(true);
    // The checkpoint itself has no graph: an easy mistake, told as one.
    const notExported = captureIo();
    expect(await runSample([join(out, 'checkpoint')], notExported)).toBe(1);
    expect(notExported.err()).toMatch(/^mimicbot: .*checkpoint: is a training checkpoint; export it first \(mimicbot export <checkpoint> <model-dir>\), then sample the model folder\n$/);

    // Fine-tuning starts from any Hugging Face folder, here the checkpoint itself, with fresh optimizer state.
    const tuned = captureIo();
    expect(await runTrain(['--data', join(root, 'data'), '--out', join(root, 'tuned'), '--from', join(out, 'checkpoint'), '--steps', '2', '--batch', '2', '--seq', '16', '--samples', '0'], tuned), tuned.err()).toBe(0);
    expect((await loadHfCheckpoint(join(root, 'tuned/checkpoint'))).config.nEmbd).toBe(16);
  });

  it('trains from scratch on a learned BPE given by --tokenizer, which sets the vocabulary and end-of-text id', async () => {
    const tokenizerDir = join(root, 'bpe');
    const posts = ['the cat sat on the mat.', 'the dog sat on the log.', 'a bird sang in the tree.'];
    await learnBpeFolder([...posts, ...posts], tokenizerDir, { vocabSize: 280, modelMaxLength: 32 });
    const out = join(root, 'bpe-run');
    const io = captureIo();
    expect(await runTrain(['--data', join(root, 'data'), '--out', out, ...tiny, '--tokenizer', tokenizerDir, '--steps', '2', '--samples', '1', '--sample-tokens', '4'], io), io.err()).toBe(0);
    expect(io.err()).toContain('(280 ids)');
    const model = join(root, 'bpe-model');
    expect(await runExport([join(out, 'checkpoint'), model], captureIo())).toBe(0);
    expect(await readModelConfig(model)).toMatchObject({ vocabSize: 280, eosTokenId: 279, bosTokenId: 279 });
    const json = async (dir: string) => JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8')) as unknown;
    expect(await json(model)).toEqual(await json(tokenizerDir));
    const both = captureIo();
    expect(await runTrain(['--data', 'd', '--out', 'o', '--tokenizer', tokenizerDir, '--vocab', 'bytes'], both)).toBe(2);
    expect(both.err().split('\n')[0]).toBe('mimicbot: train: --tokenizer gives a new model its vocabulary; drop --from and --vocab');
    const missing = captureIo();
    expect(await runTrain(['--data', join(root, 'data'), '--out', join(root, 'x'), ...tiny, '--tokenizer', join(root, 'nowhere'), '--steps', '1'], missing)).toBe(2);
    expect(missing.err()).toMatch(/--tokenizer .*nowhere: cannot read/);
  });

  it('names the problem in one line with a non-zero exit for bad input', async () => {
    const missing = captureIo();
    expect(await runTrain(['--out', join(root, 'x')], missing)).toBe(2);
    expect(missing.err().split('\n')[0]).toBe("mimicbot: train: --data is required: the dataset folder prepare wrote (train.txt, valid.txt)");
    const noData = captureIo();
    expect(await runTrain(['--data', join(root, 'nowhere'), '--out', join(root, 'x'), ...tiny, '--steps', '1'], noData)).toBe(1);
    expect(noData.err()).toMatch(/^mimicbot: .*nowhere\/train\.txt: cannot read it \(ENOENT\); run `prepare` first\n$/);
    const noResume = captureIo();
    expect(await runTrain(['--data', join(root, 'data'), '--out', join(root, 'fresh'), '--resume'], noResume)).toBe(2);
    expect(noResume.err()).toBe(`mimicbot: train: --resume: ${join(root, 'fresh', 'checkpoint')} holds no checkpoint to resume\n`);
    const both = captureIo();
    expect(await runTrain(['--data', 'd', '--out', 'o', '--from', 'x', '--layers', '2', '--vocab', 'gpt2'], both)).toBe(2);
    expect(both.err()).toBe('mimicbot: train: --from takes the shape from the checkpoint; drop --layers, --vocab\n');
    const loose = captureIo();
    expect(await runTrain(['--data', 'd', '--out', 'o', '--batching', 'loose'], loose)).toBe(2);
    expect(loose.err().split('\n')[0]).toBe('mimicbot: train: --batching must be "packed" or "padded", got "loose"');
    const badExport = captureIo();
    expect(await runExport([join(root, 'nowhere'), join(root, 'm')], badExport)).not.toBe(0);
    expect(badExport.err()).toMatch(/^mimicbot: .*nowhere.*\n$/);
  });

  it("names --seq when it is longer than the model's context (the trainer's own error names no flag)", async () => {
    const io = captureIo();
    expect(await runTrain(['--data', join(root, 'data'), '--out', join(root, 'long-seq'), ...tiny, '--seq', '64', '--steps', '1', '--samples', '0'], io)).toBe(2);
    expect(io.err().split('\n').slice(-2)).toEqual(["mimicbot: train: --seq: sequences of 64 tokens are longer than the model's context (n_positions 32)", '']);
    expect(io.err()).not.toContain('internal error');
  });

  it('refuses to overwrite a run without --resume or --force, and --force starts it over', async () => {
    const out = join(root, 'guarded');
    const args = ['--data', join(root, 'data'), '--out', out, ...tiny, '--eval-every', '10', '--samples', '0'];
    expect(await runTrain([...args, '--steps', '4'])).toBe(0);
    const svg = await readFile(join(out, 'loss-curve.svg'), 'utf8');

    const again = captureIo();
    expect(await runTrain([...args, '--steps', '2'], again)).toBe(1);
    expect(again.err()).toBe(
      `mimicbot: ${out}: already holds a training run (checkpoint at step 4); pass --resume to continue it, --force to replace it, or choose another --out\n`,
    );
    expect((await loadTrainingCheckpoint(join(out, 'checkpoint'))).step).toBe(4);
    expect(await readFile(join(out, 'loss-curve.svg'), 'utf8')).toBe(svg);

    const conflicting = captureIo();
    expect(await runTrain([...args, '--resume', '--force'], conflicting)).toBe(2);
    expect(conflicting.err()).toBe('mimicbot: train: --resume continues the run and --force replaces it; pass one of them\n');

    expect(await runTrain([...args, '--steps', '2', '--force'])).toBe(0);
    const replaced = await loadTrainingCheckpoint(join(out, 'checkpoint'));
    expect(replaced.step).toBe(2);
    expect(replaced.trainLoss).toHaveLength(2); // a new run, not the old one continued
  });

  it('says to export a training checkpoint (or run) before sampling it, in one line', async () => {
    const run = join(root, 'guarded');
    const checkpoint = join(run, 'checkpoint');
    const io = captureIo();
    expect(await runSample([checkpoint], io)).toBe(1);
    expect(io.err()).toBe(`mimicbot: ${checkpoint}: is a training checkpoint; export it first (mimicbot export <checkpoint> <model-dir>), then sample the model folder\n`);
    const ofRun = captureIo();
    expect(await runSample([run], ofRun)).toBe(1);
    expect(ofRun.err()).toMatch(/^mimicbot: .*guarded: is a training run; export it first .*\n$/);
    const exportRun = captureIo();
    expect(await runExport([run, join(root, 'from-run')], exportRun)).toBe(1);
    expect(exportRun.err()).toBe(`mimicbot: ${run}: is a training run; export its checkpoint: mimicbot export ${checkpoint} ${join(root, 'from-run')}\n`);
  });
});
