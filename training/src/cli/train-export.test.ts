import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHfCheckpoint } from '../checkpoint/index.js';
import { readModelCard, readModelConfig } from '@mimicbot/model-format';
import { learnBpeFolder } from '../tokenizer/learn-bpe-folder.js';
import { loadTrainingCheckpoint } from '../train/training-checkpoint.js';
import { captureIo } from './capture-io.js';
import { runExport } from './export.js';
import { runSample } from './sample.js';
import { parseTrainArgs, runTrain } from './train.js';

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
    expect(notExported.err()).toMatch(/^mimicbot: .*checkpoint: no standard-contract ONNX graph found \(looked for model\.onnx, .*\); it holds model\.safetensors, so it is a checkpoint: export it to a model folder first\n$/);

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
    expect(() => parseTrainArgs(['--data', 'd', '--out', 'o', '--tokenizer', tokenizerDir, '--vocab', 'bytes'])).toThrow(/drop --from and --vocab/);
    const missing = captureIo();
    expect(await runTrain(['--data', join(root, 'data'), '--out', join(root, 'x'), ...tiny, '--tokenizer', join(root, 'nowhere'), '--steps', '1'], missing)).toBe(2);
    expect(missing.err()).toMatch(/--tokenizer .*nowhere: cannot read/);
  });

  it('names the problem in one line with a non-zero exit for bad input', async () => {
    const missing = captureIo();
    expect(await runTrain(['--out', join(root, 'x')], missing)).toBe(2);
    expect(missing.err()).toContain('--data <dir> is required');
    const noData = captureIo();
    expect(await runTrain(['--data', join(root, 'nowhere'), '--out', join(root, 'x'), ...tiny, '--steps', '1'], noData)).toBe(2);
    expect(noData.err()).toMatch(/nowhere\/train\.txt: cannot read it/);
    const noResume = captureIo();
    expect(await runTrain(['--data', join(root, 'data'), '--out', join(root, 'fresh'), '--resume'], noResume)).toBe(2);
    expect(noResume.err()).toContain('holds no checkpoint to resume');
    expect(() => parseTrainArgs(['--data', 'd', '--out', 'o', '--from', 'x', '--layers', '2'])).toThrow(/--from takes the shape/);
    expect(() => parseTrainArgs(['--data', 'd', '--out', 'o', '--batching', 'loose'])).toThrow(/--batching must be/);
    const badExport = captureIo();
    expect(await runExport([join(root, 'nowhere'), join(root, 'm')], badExport)).not.toBe(0);
    expect(badExport.err()).toMatch(/^mimicbot: .*nowhere.*\n$/);
  });
});
