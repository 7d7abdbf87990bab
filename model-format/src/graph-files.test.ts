import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GRAPH_CANDIDATES, graphFile, isServerGraphFile, pickGraph } from './graph-files.js';
import { ModelFolderError } from './model-folder-error.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'graph-files-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const touch = async (file: string) => {
  await mkdir(join(dir, file, '..'), { recursive: true });
  await writeFile(join(dir, file), '');
};

describe('pickGraph', () => {
  it('prefers the server graph, then model.onnx, then the transformers.js and legacy layouts, among fp32 graphs', async () => {
    await touch('onnx/decoder_model_merged.onnx');
    expect(pickGraph(dir)).toEqual({ file: 'onnx/decoder_model_merged.onnx', contract: 'standard', dtype: 'fp32', path: join(dir, 'onnx/decoder_model_merged.onnx') });
    await touch('onnx/model.onnx');
    expect(pickGraph(dir).path).toBe(join(dir, 'onnx/model.onnx'));
    await touch('model.onnx');
    expect(pickGraph(dir).path).toBe(join(dir, 'model.onnx'));
    await touch('server_decoder.onnx');
    expect(pickGraph(dir)).toMatchObject({ path: join(dir, 'server_decoder.onnx'), contract: 'server', dtype: 'fp32' });
  });

  it('prefers fewer bits: q4, then q8, then fp32, the server graph first within each', async () => {
    await touch('model.onnx');
    await touch('onnx/model_quantized.onnx');
    expect(pickGraph(dir)).toMatchObject({ file: 'onnx/model_quantized.onnx', contract: 'standard', dtype: 'q8' });
    await touch('server_decoder_q8.onnx');
    expect(pickGraph(dir)).toMatchObject({ file: 'server_decoder_q8.onnx', contract: 'server', dtype: 'q8' });
    await touch('onnx/model_q4.onnx');
    expect(pickGraph(dir)).toMatchObject({ file: 'onnx/model_q4.onnx', contract: 'standard', dtype: 'q4' });
    await touch('server_decoder_q4.onnx');
    expect(pickGraph(dir)).toMatchObject({ file: 'server_decoder_q4.onnx', contract: 'server', dtype: 'q4' });
  });

  it('names the file a writer gives each precision and contract', () => {
    expect(graphFile('q4', 'standard')).toBe('onnx/model_q4.onnx');
    expect(graphFile('q8', 'standard')).toBe('onnx/model_quantized.onnx');
    expect(graphFile('q4', 'server')).toBe('server_decoder_q4.onnx');
    expect(graphFile('q8', 'server')).toBe('server_decoder_q8.onnx');
    expect(graphFile('fp32', 'server')).toBe('server_decoder.onnx');
  });

  it('picks by precision and by contract when asked', async () => {
    for (const { file } of GRAPH_CANDIDATES) await touch(file);
    expect(pickGraph(dir, { dtype: 'q8' }).file).toBe('server_decoder_q8.onnx');
    expect(pickGraph(dir, { dtype: 'q8', contract: 'standard' }).file).toBe('onnx/model_quantized.onnx');
    expect(pickGraph(dir, { dtype: 'fp32' }).file).toBe('server_decoder.onnx');
    expect(pickGraph(dir, { dtype: 'q4', contract: 'standard' }).file).toBe('onnx/model_q4.onnx');
    expect(pickGraph(dir, { contract: 'standard' }).file).toBe('onnx/model_q4.onnx');
  });

  it('names the files it looked for when the folder lacks the precision asked for', async () => {
    await touch('model.onnx');
    await touch('server_decoder.onnx');
    expect(() => pickGraph(dir, { dtype: 'q4' })).toThrow(`${dir}: no q4 ONNX graph found (looked for server_decoder_q4.onnx, onnx/model_q4.onnx)`);
  });

  it('says which files it looked for when there is none, and what a checkpoint folder is', async () => {
    const error = (() => {
      try {
        pickGraph(dir);
      } catch (e) {
        return e as ModelFolderError;
      }
    })();
    expect(error).toBeInstanceOf(ModelFolderError);
    expect(error).toMatchObject({
      code: 'MODEL_GRAPH_NOT_FOUND',
      message: `${dir}: no ONNX graph found (looked for ${GRAPH_CANDIDATES.map((g) => g.file).join(', ')})`,
    });
    await touch('model.safetensors');
    expect(() => pickGraph(dir, { contract: 'standard' })).toThrow(/no standard-contract ONNX graph found \(looked for onnx\/model_q4\.onnx, .*\); it holds model\.safetensors, so it is a checkpoint: export it to a model folder first$/);
  });

  it('refuses a missing folder and a file in place of the folder', async () => {
    expect(() => pickGraph(join(dir, 'absent'))).toThrow(`${join(dir, 'absent')}: no such folder`);
    await touch('file');
    expect(() => pickGraph(join(dir, 'file'))).toThrow(/is a file, expected a model folder/);
  });

  it('skips a folder named like a graph', async () => {
    await mkdir(join(dir, 'server_decoder.onnx'));
    await touch('model.onnx');
    expect(pickGraph(dir).file).toBe('model.onnx');
  });
});

describe('isServerGraphFile', () => {
  it('names our server graphs of every precision and nothing else', () => {
    expect(['server_decoder.onnx', 'server_decoder_q8.onnx', 'server_decoder_q4.onnx'].every(isServerGraphFile)).toBe(true);
    for (const file of ['model.onnx', 'onnx/model.onnx', 'onnx/model_q4.onnx', 'onnx/server_decoder.onnx', 'server_decoder.onnx_data']) expect(isServerGraphFile(file)).toBe(false);
  });
});
