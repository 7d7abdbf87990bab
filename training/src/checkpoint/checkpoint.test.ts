import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFolderError, toHfConfig } from '@mimicbot/model-format';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors.js';
import { gpt2TensorShapes } from '../model/gpt2-config.js';
import { initGpt2Weights } from '../model/init-weights.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { writeSafetensors, type TensorToWrite } from '../safetensors/index.js';
import { loadHfCheckpoint } from './load-checkpoint.js';
import { saveHfCheckpoint } from './save-checkpoint.js';

const config = tinyGpt2Config({ nLayer: 2, nEmbd: 16, nHead: 2, nPositions: 8 });
const weights = initGpt2Weights(config, 7);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mimicbot-checkpoint-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Writes config.json and model.safetensors with exactly the given tensors (names as stored). */
async function writeCheckpoint(tensors: Map<string, TensorToWrite>, hfConfig: object = toHfConfig(config)) {
  await writeFile(join(dir, 'config.json'), JSON.stringify(hfConfig));
  await writeSafetensors(join(dir, 'model.safetensors'), tensors);
}

function storedAs(prefix: string): Map<string, TensorToWrite> {
  const tensors = new Map<string, TensorToWrite>();
  for (const [name, shape] of gpt2TensorShapes(config)) tensors.set(prefix + name, { shape, data: weights.get(name)! });
  return tensors;
}

function expectSameWeights(loaded: Map<string, Float32Array>) {
  expect([...loaded.keys()]).toEqual([...weights.keys()]);
  for (const [name, data] of weights) expect(loaded.get(name), name).toEqual(data);
}

/** The error loading `dir` fails with: a CheckpointError, or for config.json the model-folder format's own. */
async function loadError(kind: typeof CheckpointError | typeof ModelFolderError = CheckpointError): Promise<CheckpointError | ModelFolderError> {
  const error = await loadHfCheckpoint(dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(kind);
  expect((error as Error).message).not.toContain('\n');
  return error as CheckpointError | ModelFolderError;
}

describe('loading a Hugging Face GPT-2 checkpoint', () => {
  it('reads the GPT2Model layout (h.0.…)', async () => {
    await saveHfCheckpoint(dir, config, weights, 'GPT2Model');
    const checkpoint = await loadHfCheckpoint(dir);
    expect(checkpoint).toMatchObject({ config, layout: 'GPT2Model', lmHead: 'tied' });
    expectSameWeights(checkpoint.weights);
  });

  it('reads the GPT2LMHeadModel layout (transformer.h.0.…) with the head tied (absent)', async () => {
    await saveHfCheckpoint(dir, config, weights, 'GPT2LMHeadModel');
    const checkpoint = await loadHfCheckpoint(dir);
    expect(checkpoint).toMatchObject({ layout: 'GPT2LMHeadModel', lmHead: 'tied' });
    expectSameWeights(checkpoint.weights);
  });

  it('reads the GPT2LMHeadModel layout with lm_head.weight stored equal to wte', async () => {
    await saveHfCheckpoint(dir, config, weights, 'GPT2LMHeadModel', { storeLmHead: true });
    const checkpoint = await loadHfCheckpoint(dir);
    expect(checkpoint).toMatchObject({ layout: 'GPT2LMHeadModel', lmHead: 'stored' });
    expectSameWeights(checkpoint.weights);
  });

  it('ignores the attention-mask buffers older exports contain', async () => {
    const tensors = storedAs('transformer.');
    for (let l = 0; l < config.nLayer; l++) {
      tensors.set(`transformer.h.${l}.attn.bias`, { shape: [1, 1, 8, 8], data: new Float32Array(64).fill(1) });
      tensors.set(`transformer.h.${l}.attn.masked_bias`, { shape: [], data: new Float32Array([-1e4]) });
    }
    await writeCheckpoint(tensors);
    expectSameWeights((await loadHfCheckpoint(dir)).weights);
  });

  it('reads half-precision checkpoints as float32', async () => {
    // BF16 keeps the top 16 bits: round-trip through a BF16 file and compare with the truncated floats.
    const wteBits = new Uint32Array(new Float32Array(weights.get('wte.weight')!).buffer);
    const bf16 = Uint16Array.from(wteBits, (bits) => bits >>> 16);
    const tensors = storedAs('');
    tensors.delete('wte.weight');
    await writeCheckpoint(tensors, { ...toHfConfig(config), torch_dtype: 'bfloat16' });
    // Append wte as BF16 by rewriting the file by hand: header + F32 data + BF16 data.
    const file = join(dir, 'model.safetensors');
    const bytes = await readFile(file);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString()) as Record<string, { data_offsets?: number[] }>;
    const dataLength = bytes.length - 8 - headerLength;
    header['wte.weight'] = { dtype: 'BF16', shape: [config.vocabSize, config.nEmbd], data_offsets: [dataLength, dataLength + bf16.byteLength] } as never;
    const json = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(json.length));
    await writeFile(file, Buffer.concat([length, json, bytes.subarray(8 + headerLength), Buffer.from(bf16.buffer)]));

    const loaded = (await loadHfCheckpoint(dir)).weights.get('wte.weight')!;
    expect(new Uint32Array(loaded.buffer)).toEqual(Uint32Array.from(wteBits, (bits) => bits & 0xffff0000));
  });

  it('reads a checkpoint sharded with model.safetensors.index.json', async () => {
    const tensors = storedAs('transformer.');
    const names = [...tensors.keys()];
    const half = Math.floor(names.length / 2);
    const shards = [names.slice(0, half), names.slice(half)];
    const weightMap: Record<string, string> = {};
    for (const [i, shard] of shards.entries()) {
      const file = `model-0000${i + 1}-of-00002.safetensors`;
      await writeSafetensors(join(dir, file), new Map(shard.map((n) => [n, tensors.get(n)!])));
      for (const n of shard) weightMap[n] = file;
    }
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    await writeFile(join(dir, 'config.json'), JSON.stringify(toHfConfig(config)));
    expectSameWeights((await loadHfCheckpoint(dir)).weights);
  });

  it('takes the context length from n_ctx when n_positions is absent', async () => {
    const { n_positions: _unused, ...oldConfig } = toHfConfig(config);
    await writeCheckpoint(storedAs(''), oldConfig);
    expect((await loadHfCheckpoint(dir)).config.nPositions).toBe(config.nPositions);
  });

  it('reports progress up to the total bytes', async () => {
    await saveHfCheckpoint(dir, config, weights, 'GPT2Model');
    const seen: [number, number][] = [];
    await loadHfCheckpoint(dir, { onProgress: (done, total) => seen.push([done, total]) });
    const total = [...weights.values()].reduce((sum, w) => sum + w.byteLength, 0);
    expect(seen.at(-1)).toEqual([total, total]);
  });
});

describe('a checkpoint that cannot be loaded', () => {
  it('refuses an lm_head.weight that differs from wte', async () => {
    const tensors = storedAs('transformer.');
    const head = new Float32Array(weights.get('wte.weight')!);
    head[5] += 1;
    tensors.set('lm_head.weight', { shape: [config.vocabSize, config.nEmbd], data: head });
    await writeCheckpoint(tensors);
    expect(await loadError()).toMatchObject({
      code: 'CHECKPOINT_UNTIED_HEAD',
      message: expect.stringMatching(/model\.safetensors: "lm_head\.weight" differs from wte\.weight \(first at element 5\)/),
    });
  });

  it('says how to make safetensors when only pytorch_model.bin is there', async () => {
    await writeFile(join(dir, 'config.json'), JSON.stringify(toHfConfig(config)));
    await writeFile(join(dir, 'pytorch_model.bin'), 'PK');
    expect(await loadError()).toMatchObject({
      code: 'CHECKPOINT_PYTORCH_ONLY',
      file: join(dir, 'pytorch_model.bin'),
      message: expect.stringContaining(`save_pretrained('${dir}', safe_serialization=True)`),
    });
  });

  it('names a tensor with the wrong shape and the shape the config needs', async () => {
    const tensors = storedAs('transformer.');
    tensors.set('transformer.h.1.mlp.c_fc.weight', { shape: [16, 60], data: new Float32Array(16 * 60) });
    await writeCheckpoint(tensors);
    expect(await loadError()).toMatchObject({
      code: 'CHECKPOINT_BAD_SHAPE',
      message: expect.stringMatching(/model\.safetensors: tensor "transformer\.h\.1\.mlp\.c_fc\.weight" has shape \[16, 60\] but .*config\.json .* needs \[16, 64\]/),
    });
  });

  it('names a missing tensor', async () => {
    const tensors = storedAs('');
    tensors.delete('h.1.ln_2.bias');
    await writeCheckpoint(tensors);
    expect(await loadError()).toMatchObject({ code: 'CHECKPOINT_MISSING_TENSOR', message: expect.stringContaining('missing tensor "h.1.ln_2.bias"') });
  });

  it('names a tensor that is not a GPT-2 parameter', async () => {
    const tensors = storedAs('');
    tensors.set('score.weight', { shape: [2, 16], data: new Float32Array(32) });
    await writeCheckpoint(tensors);
    expect(await loadError()).toMatchObject({ code: 'CHECKPOINT_UNEXPECTED_TENSOR', message: expect.stringContaining('"score.weight"') });
  });

  it('names a missing config key', async () => {
    const { n_head: _unused, ...hfConfig } = toHfConfig(config);
    await writeCheckpoint(storedAs(''), hfConfig);
    expect(await loadError(ModelFolderError)).toMatchObject({
      code: 'MODEL_CONFIG_INVALID',
      field: 'n_head',
      message: `${join(dir, 'config.json')}: missing key "n_head" (GPT-2 124M has "n_head": 12)`,
    });
  });

  it('names an unknown model_type', async () => {
    await writeCheckpoint(storedAs(''), { ...toHfConfig(config), model_type: 'llama' });
    expect(await loadError(ModelFolderError)).toMatchObject({
      code: 'MODEL_CONFIG_UNSUPPORTED',
      field: 'model_type',
      message: `${join(dir, 'config.json')}: model_type "llama" is not supported (only "gpt2")`,
    });
  });

  it('says config.json is missing', async () => {
    await writeSafetensors(join(dir, 'model.safetensors'), storedAs(''));
    expect(await loadError(ModelFolderError)).toMatchObject({ code: 'MODEL_CONFIG_NOT_FOUND', file: join(dir, 'config.json') });
  });

  it('says the folder does not exist', async () => {
    const missing = join(dir, 'nope');
    const error = await loadHfCheckpoint(missing).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CHECKPOINT_NOT_FOUND', message: `${missing}: no such folder` });
  });

  it('passes a corrupt safetensors file on as a safetensors error naming it', async () => {
    await writeFile(join(dir, 'config.json'), JSON.stringify(toHfConfig(config)));
    await writeFile(join(dir, 'model.safetensors'), Buffer.from([1, 0, 0, 0]));
    await expect(loadHfCheckpoint(dir)).rejects.toMatchObject({
      code: 'SAFETENSORS_TRUNCATED',
      file: join(dir, 'model.safetensors'),
    });
  });
});
