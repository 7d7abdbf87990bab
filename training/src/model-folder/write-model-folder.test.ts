import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxCausalLm } from '../generate/onnx-causal-lm.js';
import { tinyTestModel } from '@mimicbot/training/testing';
import { buildGpt2Decoder } from '../onnx/gpt2-decoder.js';
import { buildByteLevelTokenizer } from '../tokenizer/index.js';
import { ModelFolderError, readModelCard, readModelConfig } from '@mimicbot/model-format';
import { writeModelFolder } from './write-model-folder.js';

const { config, weights } = tinyTestModel(3);
const tokenizer = buildByteLevelTokenizer(config.nPositions);
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'model-folder-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeModelFolder', () => {
  it('writes the contract files, with onnx/model.onnx the same file as model.onnx', async () => {
    const dir = join(root, 'basic');
    await writeModelFolder(dir, { config, weights, tokenizer });
    expect((await readdir(dir)).sort()).toEqual(['README.md', 'config.json', 'generation_config.json', 'model.onnx', 'onnx', 'tokenizer.json', 'tokenizer_config.json']);
    const [top, nested] = [await stat(join(dir, 'model.onnx')), await stat(join(dir, 'onnx', 'model.onnx'))];
    expect(nested.ino).toBe(top.ino); // a hard link, not a second copy
    const hf = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(hf).toMatchObject({ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], n_layer: 2, n_head: 2, n_embd: 32, n_positions: 64, n_ctx: 64, vocab_size: 257, eos_token_id: 256, bos_token_id: 256 });
    expect(JSON.parse(await readFile(join(dir, 'generation_config.json'), 'utf8'))).toEqual({ bos_token_id: 256, eos_token_id: 256 });
    expect(JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8'))).toEqual(tokenizer.tokenizerJson);
    expect(await readModelConfig(dir)).toEqual(config);
    expect(await readModelCard(dir)).toMatchObject({
      title: 'basic',
      description: 'A GPT-2 with 2 layers, 2 heads and 32 channels, a context of 64 tokens and a vocabulary of 257.',
    });
  });

  it('writes the model card it is given', async () => {
    const dir = join(root, 'carded');
    await writeModelFolder(dir, { config, weights, tokenizer }, { card: { description: 'Posts like @alice.', metadata: { base_model: 'gpt2' } } });
    const card = await readModelCard(dir);
    expect(card).toMatchObject({ title: 'carded', description: 'Posts like @alice.', metadata: { base_model: 'gpt2', pipeline_tag: 'text-generation' } });
  });

  it('refuses to replace a folder unless asked, then swaps it whole', async () => {
    const dir = join(root, 'again');
    await writeModelFolder(dir, { config, weights, tokenizer });
    await expect(writeModelFolder(dir, { config, weights, tokenizer })).rejects.toMatchObject({ code: 'MODEL_FOLDER_EXISTS', file: dir });
    await writeFile(join(dir, 'stale.txt'), 'old');
    await writeModelFolder(dir, { config: { ...config, eosTokenId: 10 }, weights, tokenizer }, { overwrite: true });
    expect(await readdir(dir)).not.toContain('stale.txt');
    expect((await readModelConfig(dir)).eosTokenId).toBe(10);
  });

  it('leaves nothing behind when writing fails part way', async () => {
    const parent = await mkdtemp(join(root, 'fail-'));
    const dir = join(parent, 'model');
    // model.onnx is written, then the extra model's folder does not exist.
    const failing = writeModelFolder(dir, { config, weights, tokenizer }, { extraModels: { 'missing/x.onnx': buildGpt2Decoder(config, weights) } });
    await expect(failing).rejects.toThrow(/ENOENT/);
    expect(await readdir(parent)).toEqual([]);
  });

  it('rejects a tokenizer with ids past the vocabulary, naming tokenizer.json', async () => {
    const dir = join(root, 'small-vocab');
    const err = await writeModelFolder(dir, { config: { ...config, vocabSize: 200, eosTokenId: 199, bosTokenId: 199 }, weights: tinyTestModel(3, { vocabSize: 200 }).weights, tokenizer }).catch((e) => e);
    expect(err).toBeInstanceOf(ModelFolderError);
    expect(err.message).toBe(`${join(dir, 'tokenizer.json')}: token id 256 does not fit vocab_size 200`);
    await expect(stat(dir)).rejects.toThrow();
  });

  it('writes extra graphs beside model.onnx and external data beside both model files when forced', async () => {
    const dir = join(root, 'external');
    await writeModelFolder(dir, { config, weights, tokenizer }, { externalDataThresholdBytes: 0, extraModels: { 'last.onnx': buildGpt2Decoder(config, weights, { lastPositionLogitsOnly: true }) } });
    expect((await readdir(dir)).sort()).toEqual(['README.md', 'config.json', 'generation_config.json', 'last.onnx', 'last.onnx_data', 'model.onnx', 'model.onnx_data', 'onnx', 'tokenizer.json', 'tokenizer_config.json']);
    expect((await readdir(join(dir, 'onnx'))).sort()).toEqual(['model.onnx', 'model.onnx_data']);
    const inputs = { batchSize: 1, inputIds: [104, 105], attentionMask: [1, 1], positionIds: [0, 1] };
    const fromTop = await OnnxCausalLm.load(join(dir, 'model.onnx'), config);
    const fromNested = await OnnxCausalLm.load(join(dir, 'onnx', 'model.onnx'), config);
    expect((await fromNested.forward(inputs)).logits).toEqual((await fromTop.forward(inputs)).logits);
  });
});
