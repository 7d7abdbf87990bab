/**
 * The model folder is the transformers.js layout: transformers.js loads what we wrote, unchanged, and its
 * greedy decoding gives the tokens of our own loop (over onnxruntime and over the reference forward).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import { loadTokenizer, type TokenizerFiles } from '@mimicbot/model-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceCausalLm } from '../generate/causal-lm.js';
import { generate } from '../generate/generate.js';
import { OnnxCausalLm } from '../generate/onnx-causal-lm.js';
import { tinyTestModel } from '@mimicbot/training/testing';
import { buildByteLevelTokenizer, buildGpt2Tokenizer } from '../tokenizer/index.js';
import { writeModelFolder } from './write-model-folder.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'transformers-js-'));
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.localModelPath = root;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const MAX_NEW_TOKENS = 10;

async function expectSameGreedyTokens(name: string, vocabSize: number, tokenizer: TokenizerFiles, prompts: string[], externalDataThresholdBytes?: number) {
  const { config, weights } = tinyTestModel(11, { vocabSize, bosTokenId: vocabSize - 1, eosTokenId: vocabSize - 1 });
  await writeModelFolder(join(root, name), { config, weights, tokenizer }, { externalDataThresholdBytes });

  const theirTokenizer = await AutoTokenizer.from_pretrained(name);
  const theirModel = await AutoModelForCausalLM.from_pretrained(name, { dtype: 'fp32', device: 'cpu' });
  const ourTokenizer = await loadTokenizer(join(root, name));
  const ours = await OnnxCausalLm.load(join(root, name, 'model.onnx'), config);
  const reference = referenceCausalLm(config, weights);
  for (const prompt of prompts) {
    const inputs = theirTokenizer(prompt);
    const promptIds = (inputs.input_ids.tolist() as bigint[][])[0].map(Number);
    expect(promptIds).toEqual(ourTokenizer.encode(prompt).ids);
    const output = await theirModel.generate({ ...inputs, max_new_tokens: MAX_NEW_TOKENS, do_sample: false });
    const theirNew = ((output as { tolist(): bigint[][] }).tolist()[0]).map(Number).slice(promptIds.length);
    const [ourNew] = await generate(ours, [promptIds], { maxNewTokens: MAX_NEW_TOKENS, eosTokenId: config.eosTokenId });
    const [referenceNew] = await generate(reference, [promptIds], { maxNewTokens: MAX_NEW_TOKENS, eosTokenId: config.eosTokenId });
    expect(theirNew).toEqual(ourNew);
    expect(ourNew).toEqual(referenceNew);
    expect(new Set(ourNew).size).toBeGreaterThan(1); // a varied continuation, not one repeated token
  }
  await ours.release();
  await theirModel.dispose();
}

describe('transformers.js loads a model folder we wrote', () => {
  it('with the byte-level tokenizer, and decodes greedily to our tokens', async () => {
    await expectSameGreedyTokens('bytes', 257, buildByteLevelTokenizer(64), ['Hello', 'a tweet about cats']);
  });

  it("with GPT-2's tokenizer, and decodes greedily to our tokens", async () => {
    await expectSameGreedyTokens('gpt2-vocab', 50257, buildGpt2Tokenizer(), ['Hello world', 'The quick brown fox']);
  });

  it('with the weights in external data (model.onnx_data), as folders past 2 GB are written', async () => {
    await expectSameGreedyTokens('external', 257, buildByteLevelTokenizer(64), ['Hello'], 0);
    expect(await readdir(join(root, 'external', 'onnx'))).toEqual(['model.onnx', 'model.onnx_data']);
  });
});
