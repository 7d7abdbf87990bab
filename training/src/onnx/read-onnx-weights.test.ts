import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyTestModel } from '@mimicbot/training/testing';
import { buildGpt2Decoder } from './gpt2-decoder.js';
import { GraphBuilder } from './graph-builder.js';
import { OnnxModelError } from './onnx-model-error.js';
import { DataType, encodeModel } from './onnx-proto.js';
import { readOnnxWeights } from './read-onnx-weights.js';
import { writeOnnxModel } from './write-onnx-model.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-onnx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const { config, weights } = tinyTestModel(3);

describe('readOnnxWeights', () => {
  it('reads back every weight of a decoder we wrote, with its shape, and the metadata', async () => {
    const file = join(dir, 'model.onnx');
    await writeOnnxModel(file, buildGpt2Decoder(config, weights));
    const read = await readOnnxWeights(file);
    for (const [name, data] of weights) expect(read.tensors.get(name)?.data).toEqual(data);
    expect(read.tensors.get('wte.weight')?.dims).toEqual([config.vocabSize, config.nEmbd]);
    expect(read.metadata.model_type).toBe('gpt2');
  });

  it('reads weights kept in external data beside the model', async () => {
    const file = join(dir, 'external.onnx');
    const written = await writeOnnxModel(file, buildGpt2Decoder(config, weights), { externalDataThresholdBytes: 0 });
    expect(written.externalData).toBe(true);
    const read = await readOnnxWeights(file, new Set(['h.1.mlp.c_fc.weight', 'ln_f.bias']));
    expect([...read.tensors.keys()].sort()).toEqual(['h.1.mlp.c_fc.weight', 'ln_f.bias']);
    expect(read.tensors.get('h.1.mlp.c_fc.weight')?.data).toEqual(weights.get('h.1.mlp.c_fc.weight'));
  });

  it('refuses an external data location outside the model folder, naming the tensor', async () => {
    const g = new GraphBuilder('escape');
    g.tensor({ name: 'w', dataType: DataType.FLOAT, dims: [4], external: { location: '../secret.bin', offset: 0, length: 16 } });
    const file = join(dir, 'escape.onnx');
    await writeFile(file, encodeModel(g.model()).concat());
    await expect(readOnnxWeights(file)).rejects.toThrow(/initializer "w": external data location "\.\.\/secret\.bin" is not a file beside the model/);
  });

  it('refuses external data shorter than the tensor it should hold', async () => {
    const g = new GraphBuilder('short');
    g.tensor({ name: 'w', dataType: DataType.FLOAT, dims: [1000], external: { location: 'short.bin', offset: 0, length: 4000 } });
    await writeFile(join(dir, 'short.bin'), new Uint8Array(100));
    const file = join(dir, 'short.onnx');
    await writeFile(file, encodeModel(g.model()).concat());
    await expect(readOnnxWeights(file)).rejects.toThrow(/short\.bin has 100 bytes; the tensor needs bytes 0\.\.4000/);
  });

  it('says a truncated file is not a readable model', async () => {
    const whole = await readFile(join(dir, 'model.onnx'));
    const file = join(dir, 'truncated.onnx');
    await writeFile(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await readOnnxWeights(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnnxModelError);
    expect((error as Error).message).toMatch(/truncated\.onnx: not a readable ONNX model/);
  });
});
