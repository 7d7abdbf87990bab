import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyTestModel, writeTinyCheckpoint } from '@mimicbot/training/testing';
import { buildGpt2Decoder } from './gpt2-decoder.js';
import { buildGpt2ServerDecoder } from './gpt2-server-decoder.js';
import { OnnxModelError } from './onnx-model-error.js';
import { encodeModel, type ModelProto } from './onnx-proto.js';
import { quantizeGpt2Weights, type QuantizeSpec } from './quantize/quantize-weights.js';
import { buildServerGraphFrom } from './server-graph-from-folder.js';
import { writeOnnxModel } from './write-onnx-model.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'server-graph-from-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// n_embd 48 with blocks of 32: K = 48 and 192 end in padded blocks; the 257-token head has an odd N.
const { config, weights } = tinyTestModel(5, { nEmbd: 48, nHead: 2 });
const bytes = (m: ModelProto): Uint8Array => encodeModel(m).concat();

async function standardExport(name: string, model: ModelProto): Promise<string> {
  const path = join(dir, name);
  await writeOnnxModel(path, model);
  return path;
}

describe('buildServerGraphFrom', () => {
  it('builds from an fp32 standard export exactly the server graph the exporter builds from the same weights', async () => {
    const path = await standardExport('fp32.onnx', buildGpt2Decoder(config, weights));
    const built = await buildServerGraphFrom({ kind: 'onnx', path }, config);
    expect(bytes(built)).toEqual(bytes(buildGpt2ServerDecoder(config, weights)));
  });

  const specs: [string, QuantizeSpec][] = [
    ['q4, head q4', { bits: 4, blockSize: 32, symmetric: false, keepHead: false }],
    ['q8', { bits: 8, blockSize: 32, symmetric: false, keepHead: false }],
    ['q4 symmetric, block 16', { bits: 4, blockSize: 16, symmetric: true, keepHead: false }],
    ['q4, head kept fp32', { bits: 4, blockSize: 32, symmetric: false, keepHead: true }],
    ['q4, head q8', { bits: 4, blockSize: 32, symmetric: false, keepHead: false, headBits: 8 }],
    ['q8, accuracy_level 0', { bits: 8, blockSize: 32, symmetric: false, keepHead: false, accuracyLevel: 0 }],
  ];
  for (const [label, spec] of specs) {
    it(`reuses a quantized export's blocks byte for byte (${label})`, async () => {
      const quantized = quantizeGpt2Weights(config, weights, spec);
      const path = await standardExport(`${label.replace(/\W+/g, '-')}.onnx`, buildGpt2Decoder(config, weights, { quantized }));
      const built = await buildServerGraphFrom({ kind: 'onnx', path }, config);
      expect(bytes(built)).toEqual(bytes(buildGpt2ServerDecoder(config, weights, { quantized })));
    });
  }

  it("reads weights under GPT2LMHeadModel's transformer. prefix, as a torch export names them", async () => {
    const model = buildGpt2Decoder(config, weights);
    model.graph.initializers = model.graph.initializers.map((t) => (weights.has(t.name) ? { ...t, name: `transformer.${t.name}` } : t));
    const path = await standardExport('prefixed.onnx', model);
    expect(bytes(await buildServerGraphFrom({ kind: 'onnx', path }, config))).toEqual(bytes(buildGpt2ServerDecoder(config, weights)));
  });

  it('refuses an export whose weights carry other names, naming the first one missing', async () => {
    const model = buildGpt2Decoder(config, weights);
    model.graph.initializers = model.graph.initializers.map((t) => (t.name === 'h.0.ln_1.weight' ? { ...t, name: 'onnx::LayerNorm_17' } : t));
    const path = await standardExport('renamed.onnx', model);
    const failure = buildServerGraphFrom({ kind: 'onnx', path }, config);
    await expect(failure).rejects.toBeInstanceOf(OnnxModelError);
    await expect(failure).rejects.toThrow(`${path}: no float32 initializer "h.0.ln_1.weight" (nor "transformer.h.0.ln_1.weight")`);
  });

  it("builds from a Hugging Face checkpoint the exporter's server graph, in fp32 and quantized by quantize's defaults", async () => {
    const checkpoint = join(dir, 'checkpoint');
    const saved = await writeTinyCheckpoint(checkpoint, { config: { nEmbd: 32 } });
    const fp32 = await buildServerGraphFrom({ kind: 'safetensors', dir: checkpoint, dtype: 'fp32' }, saved.config);
    expect(bytes(fp32)).toEqual(bytes(buildGpt2ServerDecoder(saved.config, saved.weights)));
    const q4 = await buildServerGraphFrom({ kind: 'safetensors', dir: checkpoint, dtype: 'q4' }, saved.config);
    const quantized = quantizeGpt2Weights(saved.config, saved.weights, { bits: 4, blockSize: 32, symmetric: false, keepHead: false });
    expect(bytes(q4)).toEqual(bytes(buildGpt2ServerDecoder(saved.config, saved.weights, { quantized })));
  });
});
