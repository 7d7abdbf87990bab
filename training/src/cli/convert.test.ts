import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureIo, commandRunner, writeTinyCheckpoint } from '@mimicbot/training/testing';
import { OnnxCausalLm } from '../generate/onnx-causal-lm.js';
import type { Gpt2Config, Gpt2Weights } from '../model/gpt2-config.js';
import { gpt2Forward } from '../model/reference-forward.js';
import { loadTokenizer, readModelConfig } from '@mimicbot/model-format';

const runConvert = commandRunner('convert');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mimicbot-convert-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Logits of the converted model.onnx and of the reference forward on the original weights, for one prompt. */
async function compareWithReference(modelDir: string, config: Gpt2Config, weights: Gpt2Weights) {
  const prompt = [72, 101, 108, 108, 111, 32, 33];
  const inputs = { batchSize: 1, inputIds: prompt, attentionMask: prompt.map(() => 1), positionIds: prompt.map((_, i) => i) };
  const onnx = await OnnxCausalLm.load(join(modelDir, 'model.onnx'), config);
  try {
    const got = (await onnx.forward(inputs)).logits;
    const want = gpt2Forward(config, weights, inputs).logits;
    expect(got.length).toBe(want.length);
    let maxAbs = 0;
    for (let i = 0; i < got.length; i++) maxAbs = Math.max(maxAbs, Math.abs(got[i] - want[i]));
    return maxAbs;
  } finally {
    await onnx.release();
  }
}

describe('convert', () => {
  it.each([
    ['GPT2LMHeadModel', true],
    ['GPT2Model', false],
  ] as const)('turns a %s checkpoint (lm_head stored: %s) into a model folder whose logits match the reference', async (layout, storeLmHead) => {
    const checkpoint = join(dir, 'checkpoint');
    const out = join(dir, 'model');
    const { config, weights } = await writeTinyCheckpoint(checkpoint, { layout, storeLmHead, seed: 3 });
    const io = captureIo();
    expect(await runConvert([checkpoint, out, '--quiet'], io)).toBe(0);
    expect(io.out()).toContain(`wrote ${out}: GPT-2 2 layers x 2 heads x 16`);
    expect(io.err()).toBe('');
    expect((await readdir(out)).sort()).toEqual(['README.md', 'config.json', 'generation_config.json', 'model.onnx', 'onnx', 'tokenizer.json', 'tokenizer_config.json']);
    expect(await readModelConfig(out)).toEqual(config);
    expect(await readFile(join(out, 'tokenizer.json'), 'utf8').then(JSON.parse)).toEqual(
      await readFile(join(checkpoint, 'tokenizer.json'), 'utf8').then(JSON.parse),
    );
    expect(await compareWithReference(out, config, weights)).toBeLessThan(1e-4);
  });

  it("uses GPT-2's tokenizer when the checkpoint has no tokenizer.json", async () => {
    const checkpoint = join(dir, 'checkpoint');
    const out = join(dir, 'model');
    const { config, weights } = await writeTinyCheckpoint(checkpoint, {
      withTokenizer: false,
      config: { vocabSize: 50257, bosTokenId: 50256, eosTokenId: 50256, nEmbd: 8 },
    });
    const io = captureIo();
    expect(await runConvert([checkpoint, out, '--quiet'], io)).toBe(0);
    expect(io.out()).toContain("tokenizer: GPT-2's");
    const tokenizer = await loadTokenizer(out);
    expect(tokenizer.encode('Hello world').ids).toEqual([15496, 995]);
    expect(JSON.parse(await readFile(join(out, 'tokenizer_config.json'), 'utf8'))).toMatchObject({ model_max_length: config.nPositions });
    expect(await compareWithReference(out, config, weights)).toBeLessThan(1e-4);
  });

  it('refuses to replace an existing folder without --force, and replaces it with --force', async () => {
    const checkpoint = join(dir, 'checkpoint');
    const out = join(dir, 'model');
    await writeTinyCheckpoint(checkpoint);
    expect(await runConvert([checkpoint, out, '--quiet'], captureIo())).toBe(0);
    const io = captureIo();
    expect(await runConvert([checkpoint, out, '--quiet'], io)).toBe(1);
    expect(io.err()).toBe(`mimicbot: ${out}: already exists; choose another folder, or pass --force to replace it\n`);
    expect(await runConvert([checkpoint, out, '--quiet', '--force'], captureIo())).toBe(0);
  });

  it('never writes over the checkpoint it reads, even with --force', async () => {
    const checkpoint = join(dir, 'checkpoint');
    await writeTinyCheckpoint(checkpoint);
    const io = captureIo();
    expect(await runConvert([checkpoint, `${checkpoint}/`, '--force', '--quiet'], io)).toBe(1);
    expect(io.err()).toBe(`mimicbot: ${checkpoint}/: is the checkpoint folder itself; write the model folder somewhere else\n`);
    expect(await readdir(checkpoint)).toContain('model.safetensors');
  });

  it('prints usage and exits 2 on wrong arguments', async () => {
    const io = captureIo();
    expect(await runConvert(['only-one'], io)).toBe(2);
    expect(io.err()).toBe('mimicbot: convert: expected <checkpoint-dir> <out-dir>, got "only-one"\nusage: mimicbot convert <checkpoint-dir> <out-dir> [options] (--help lists the options)\n');
  });
});
