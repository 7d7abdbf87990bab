import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

function errorOf(run: () => unknown): ModelLoadError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelLoadError);
    return error as ModelLoadError;
  }
  throw new Error('expected an error');
}

const GPT2_CONFIG = { model_type: 'gpt2', n_layer: 12, n_head: 12, n_embd: 768, n_positions: 1024, vocab_size: 50257, eos_token_id: 50256, bos_token_id: 50256 };

describe('findModelGraph', () => {
  it("returns the format's pick: the server graph before model.onnx", async () => {
    await writeFile(join(dir, 'model.onnx'), '');
    expect(findModelGraph(dir)).toEqual({ file: 'model.onnx', contract: 'standard', dtype: 'fp32', path: join(dir, 'model.onnx') });
    await writeFile(join(dir, 'server_decoder.onnx'), '');
    expect(findModelGraph(dir)).toEqual({ file: 'server_decoder.onnx', contract: 'server', dtype: 'fp32', path: join(dir, 'server_decoder.onnx') });
  });

  it('serves the fewest bits the folder has unless MODEL_DTYPE asks for a precision', async () => {
    for (const file of ['model.onnx', 'server_decoder.onnx', 'server_decoder_q8.onnx', 'server_decoder_q4.onnx']) await writeFile(join(dir, file), '');
    expect(findModelGraph(dir)).toMatchObject({ file: 'server_decoder_q4.onnx', dtype: 'q4' });
    expect(findModelGraph(dir, 'q8')).toMatchObject({ file: 'server_decoder_q8.onnx', dtype: 'q8' });
    expect(findModelGraph(dir, 'fp32')).toMatchObject({ file: 'server_decoder.onnx', dtype: 'fp32' });
  });

  it('names MODEL_DTYPE, the files looked for and the fix when the folder lacks the precision asked for', async () => {
    await writeFile(join(dir, 'model.onnx'), '');
    const error = errorOf(() => findModelGraph(dir, 'q4'));
    expect(error.code).toBe('MODEL_GRAPH_NOT_FOUND');
    expect(error.message).toBe(
      `MODEL_DTYPE=q4: ${dir}: no q4 ONNX graph found (looked for server_decoder_q4.onnx, onnx/model_q4.onnx). ` +
        'Quantize the folder (mimicbot quantize <model-dir> --bits 4), or unset MODEL_DTYPE to serve the best graph the folder has.',
    );
  });

  it('says which files it looked for when there is none, and how to fix MODEL_DIR', () => {
    expect(() => findModelGraph(dir)).toThrow(/no ONNX graph found \(looked for server_decoder_q4.onnx, .*server_decoder.onnx, model.onnx, onnx\/model.onnx.*\)\. Export the model/);
    expect(() => findModelGraph(join(dir, 'absent'))).toThrow(/no such folder. Set MODEL_DIR/);
    expect(errorOf(() => findModelGraph(dir)).code).toBe('MODEL_GRAPH_NOT_FOUND');
    expect(errorOf(() => findModelGraph(join(dir, 'absent'))).code).toBe('MODEL_DIR_NOT_FOUND');
  });
});

describe('readModelConfig', () => {
  it("reads GPT-2 keys with the format's rules", async () => {
    await writeFile(join(dir, 'config.json'), JSON.stringify(GPT2_CONFIG));
    expect(await readModelConfig(dir)).toMatchObject({ nLayer: 12, nHead: 12, nEmbd: 768, nPositions: 1024, vocabSize: 50257, eosTokenId: 50256, bosTokenId: 50256 });
  });

  it('names the missing key and the file, in one line, as a ModelLoadError', async () => {
    const { n_head: _, ...rest } = GPT2_CONFIG;
    await writeFile(join(dir, 'config.json'), JSON.stringify(rest));
    const error = await readModelConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error).toMatchObject({ code: 'MODEL_CONFIG_INVALID', message: `${join(dir, 'config.json')}: missing key "n_head" (GPT-2 124M has "n_head": 12)` });
  });

  it('refuses a missing file, bad JSON, absurd sizes and unsupported variants with the right codes', async () => {
    await expect(readModelConfig(dir)).rejects.toMatchObject({ code: 'MODEL_CONFIG_NOT_FOUND', message: `${join(dir, 'config.json')}: missing: is this a model folder?` });
    await writeFile(join(dir, 'config.json'), '{ nope');
    await expect(readModelConfig(dir)).rejects.toMatchObject({ code: 'MODEL_CONFIG_INVALID', message: expect.stringMatching(/invalid JSON/) });
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...GPT2_CONFIG, n_layer: 1e15 }));
    await expect(readModelConfig(dir)).rejects.toMatchObject({ code: 'MODEL_CONFIG_INVALID', message: `${join(dir, 'config.json')}: "n_layer" 1000000000000000 is more than the 256 supported` });
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...GPT2_CONFIG, activation_function: 'relu' }));
    await expect(readModelConfig(dir)).rejects.toMatchObject({ code: 'MODEL_CONFIG_INVALID', message: expect.stringMatching(/activation_function "relu" is not supported/) });
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

  it('recognises the server contract, and whether it can return every position\'s logits', () => {
    const inputs = ['input_ids', 'attention_mask', 'position_ids', 'past_key.0', 'past_value.0'];
    const outputs = ['logits', 'new_key.0', 'new_value.0'];
    expect(describeDecoder('s.onnx', inputs, outputs, 1)).toMatchObject({ contract: 'server', outKeys: ['new_key.0'], hasLogitsPositions: false, canScorePrompt: false });
    // The cache layout from the past's rank: [B, NH, P, HS] today, [P, B, C] in folders exported before.
    expect(describeDecoder('s.onnx', inputs, outputs, 1, ['batch_size', 2, 'past_sequence_length', 16])).toMatchObject({ contract: 'server', cache: 'heads' });
    expect(describeDecoder('s.onnx', inputs, outputs, 1, ['past_sequence_length', 'batch_size', 32])).toMatchObject({ contract: 'server', cache: 'time-major' });
    expect(describeDecoder('m.onnx', standardInputs(1), standardOutputs(1), 1, ['batch_size', 2, 'past_sequence_length', 16])).toMatchObject({ contract: 'standard', cache: 'heads' });
    expect(describeDecoder('s.onnx', [...inputs, 'logits_positions'], outputs, 1)).toMatchObject({ contract: 'server', hasLogitsPositions: true, canScorePrompt: true });
    // Standard graphs return every position's logits anyway, and logits_positions is not one of their inputs.
    expect(describeDecoder('m.onnx', standardInputs(1), standardOutputs(1), 1)).toMatchObject({ hasLogitsPositions: false, canScorePrompt: true });
    expect(() => describeDecoder('m.onnx', standardInputs(1, ['logits_positions']), standardOutputs(1), 1)).toThrow(/unexpected input\(s\) logits_positions/);
  });

  it('refuses graphs that do not fit config.json or the contract', () => {
    expect(() => describeDecoder('m.onnx', standardInputs(2), standardOutputs(2), 3)).toThrow(/m.onnx: missing input "past_key_values.2.key" \(config.json says n_layer = 3\)/);
    expect(() => describeDecoder('m.onnx', standardInputs(3), standardOutputs(3), 2)).toThrow(/unexpected input\(s\) past_key_values.2.key/);
    expect(() => describeDecoder('m.onnx', ['input_ids'], ['logits'], 0)).toThrow(/missing input "attention_mask"/);
    expect(() => describeDecoder('m.onnx', standardInputs(1), ['present.0.key', 'present.0.value'], 1)).toThrow(/missing output "logits"/);
  });
});
