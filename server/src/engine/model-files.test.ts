import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelLoadError } from './errors.js';
import { describeDecoder, findModelGraph, readModelConfig } from './model-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mimicbot-model-files-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const GPT2_CONFIG = { n_layer: 12, n_head: 12, n_embd: 768, n_positions: 1024, vocab_size: 50257, eos_token_id: 50256, bos_token_id: 50256 };

describe('findModelGraph', () => {
  it('prefers the server graph, then model.onnx, then the transformers.js and legacy layouts', async () => {
    const touch = async (file: string) => {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), '');
    };
    await touch('onnx/decoder_model_merged.onnx');
    expect(findModelGraph(dir)).toBe(join(dir, 'onnx/decoder_model_merged.onnx'));
    await touch('onnx/model_quantized.onnx');
    expect(findModelGraph(dir)).toBe(join(dir, 'onnx/model_quantized.onnx'));
    await touch('onnx/model.onnx');
    expect(findModelGraph(dir)).toBe(join(dir, 'onnx/model.onnx'));
    await touch('model.onnx');
    expect(findModelGraph(dir)).toBe(join(dir, 'model.onnx'));
    await touch('server_decoder.onnx');
    expect(findModelGraph(dir)).toBe(join(dir, 'server_decoder.onnx'));
  });

  it('says which files it looked for when there is none', () => {
    expect(() => findModelGraph(dir)).toThrow(/no ONNX graph found \(looked for server_decoder.onnx, model.onnx, onnx\/model.onnx/);
    expect(() => findModelGraph(join(dir, 'absent'))).toThrow(/no such folder. Set MODEL_DIR/);
  });
});

describe('readModelConfig', () => {
  it('reads GPT-2 keys', async () => {
    await writeFile(join(dir, 'config.json'), JSON.stringify(GPT2_CONFIG));
    expect(readModelConfig(dir)).toEqual({ nLayer: 12, nHead: 12, nEmbd: 768, nPositions: 1024, vocabSize: 50257, eosTokenId: 50256, bosTokenId: 50256 });
  });

  it('takes eos from generation_config.json or a list, and bos defaults to eos', async () => {
    const { eos_token_id: _eos, bos_token_id: _bos, ...rest } = GPT2_CONFIG;
    await writeFile(join(dir, 'config.json'), JSON.stringify(rest));
    await writeFile(join(dir, 'generation_config.json'), JSON.stringify({ eos_token_id: [7, 8] }));
    expect(readModelConfig(dir)).toMatchObject({ eosTokenId: 7, bosTokenId: 7 });
  });

  it('names the missing key and the file, in one line', async () => {
    const { n_head: _, ...rest } = GPT2_CONFIG;
    await writeFile(join(dir, 'config.json'), JSON.stringify(rest));
    const error = (() => {
      try {
        readModelConfig(dir);
      } catch (e) {
        return e as ModelLoadError;
      }
    })();
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error!.code).toBe('MODEL_CONFIG_INVALID');
    expect(error!.message).toBe(`${join(dir, 'config.json')}: missing "n_head". Add it (GPT-2 124M has "n_head": 12).`);
  });

  it('refuses a missing file, bad JSON and bad values', async () => {
    expect(() => readModelConfig(dir)).toThrow(/config.json: missing/);
    await writeFile(join(dir, 'config.json'), '{ nope');
    expect(() => readModelConfig(dir)).toThrow(/not valid JSON/);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...GPT2_CONFIG, n_layer: 'twelve' }));
    expect(() => readModelConfig(dir)).toThrow(/"n_layer" must be a non-negative integer/);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...GPT2_CONFIG, n_head: 5 }));
    expect(() => readModelConfig(dir)).toThrow(/multiple of n_head/);
  });
});

describe('describeDecoder', () => {
  const standardInputs = (L: number, extra: string[] = []) => ['input_ids', 'attention_mask', ...extra, ...Array.from({ length: L }, (_, i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]).flat()];
  const standardOutputs = (L: number) => ['logits', ...Array.from({ length: L }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat()];

  it('recognises the optimum contract, with or without position_ids and use_cache_branch', () => {
    const plain = describeDecoder('m.onnx', standardInputs(2, ['position_ids']), standardOutputs(2), 2);
    expect(plain).toMatchObject({ contract: 'standard', hasPositionIds: true, hasUseCacheBranch: false, pastKeys: ['past_key_values.0.key', 'past_key_values.1.key'], outValues: ['present.0.value', 'present.1.value'] });
    const legacy = describeDecoder('m.onnx', standardInputs(2, ['use_cache_branch']), standardOutputs(2), 2);
    expect(legacy).toMatchObject({ hasPositionIds: false, hasUseCacheBranch: true });
  });

  it('recognises the server contract', () => {
    const inputs = ['input_ids', 'attention_mask', 'position_ids', 'past_key.0', 'past_value.0'];
    expect(describeDecoder('s.onnx', inputs, ['logits', 'new_key.0', 'new_value.0'], 1)).toMatchObject({ contract: 'server', outKeys: ['new_key.0'] });
  });

  it('refuses graphs that do not fit config.json or the contract', () => {
    expect(() => describeDecoder('m.onnx', standardInputs(2), standardOutputs(2), 3)).toThrow(/m.onnx: missing input "past_key_values.2.key" \(config.json says n_layer = 3\)/);
    expect(() => describeDecoder('m.onnx', standardInputs(3), standardOutputs(3), 2)).toThrow(/unexpected input\(s\) past_key_values.2.key/);
    expect(() => describeDecoder('m.onnx', ['input_ids'], ['logits'], 0)).toThrow(/missing input "attention_mask"/);
    expect(() => describeDecoder('m.onnx', standardInputs(1), ['present.0.key', 'present.0.value'], 1)).toThrow(/missing output "logits"/);
  });
});
