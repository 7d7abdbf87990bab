/**
 * transformers.js finds our quantized graphs by its own dtype names and runs them: `dtype: 'q4'` loads
 * onnx/model_q4.onnx and `'q8'` onnx/model_quantized.onnx, and its greedy decoding gives the tokens our own
 * loop gives over the same file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../generate/generate.js';
import { OnnxCausalLm } from '../../generate/onnx-causal-lm.js';
import { tinyTestModel } from '@mimicbot/training/testing';
import { writeModelFolder } from '../../model-folder/write-model-folder.js';
import { buildByteLevelTokenizer } from '../../tokenizer/index.js';
import { graphFile } from '@mimicbot/model-format';
import { quantizeModelFolder } from './quantize-model-folder.js';

let root: string;
const name = 'quantized';
const { config, weights } = tinyTestModel(11);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'transformers-js-q-'));
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.localModelPath = root;
  await writeModelFolder(join(root, name), { config, weights, tokenizer: buildByteLevelTokenizer(64) });
  await quantizeModelFolder(join(root, name), { bits: 4, blockSize: 32, symmetric: false, keepHead: false });
  await quantizeModelFolder(join(root, name), { bits: 8, blockSize: 32, symmetric: false, keepHead: false });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('transformers.js loads the quantized graphs by dtype', () => {
  it.each([
    ['q4', graphFile('q4', 'standard')],
    ['q8', graphFile('q8', 'standard')],
  ] as const)('dtype %s (%s) generates our greedy tokens', async (dtype, file) => {
    const tokenizer = await AutoTokenizer.from_pretrained(name);
    const model = await AutoModelForCausalLM.from_pretrained(name, { dtype, device: 'cpu' });
    const ours = await OnnxCausalLm.load(join(root, name, file), config);
    for (const prompt of ['Hello', 'a post about cats']) {
      const inputs = tokenizer(prompt);
      const promptIds = (inputs.input_ids.tolist() as bigint[][])[0].map(Number);
      const output = await model.generate({ ...inputs, max_new_tokens: 10, do_sample: false });
      const theirs = (output as { tolist(): bigint[][] }).tolist()[0].map(Number).slice(promptIds.length);
      const [mine] = await generate(ours, [promptIds], { maxNewTokens: 10, eosTokenId: config.eosTokenId });
      expect(theirs).toEqual(mine);
      expect(new Set(mine).size).toBeGreaterThan(1);
    }
    await ours.release();
    await model.dispose();
  });
});
