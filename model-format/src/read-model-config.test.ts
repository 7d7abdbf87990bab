import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelFolderError } from './model-folder-error.js';
import { readModelConfig } from './read-model-config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-config-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const good = { model_type: 'gpt2', n_layer: 2, n_head: 2, n_embd: 32, n_positions: 64, vocab_size: 257, bos_token_id: 256, eos_token_id: 256 };
const write = (name: string, value: unknown) => writeFile(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));

describe('readModelConfig', () => {
  it('reads a Hugging Face GPT-2 config, defaulting the epsilon', async () => {
    await write('config.json', good);
    expect(await readModelConfig(dir)).toEqual({ vocabSize: 257, nPositions: 64, nEmbd: 32, nLayer: 2, nHead: 2, layerNormEpsilon: 1e-5, bosTokenId: 256, eosTokenId: 256 });
  });

  it('takes eos from generation_config.json when config.json has none', async () => {
    const { eos_token_id: _eos, bos_token_id: _bos, ...rest } = good;
    await write('config.json', rest);
    await write('generation_config.json', { eos_token_id: [7, 8] });
    expect(await readModelConfig(dir)).toMatchObject({ eosTokenId: 7, bosTokenId: 7 });
  });

  it('says when there is no config.json', async () => {
    const error = await readModelConfig(join(dir, 'nowhere')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFolderError);
    expect(error).toMatchObject({ code: 'MODEL_CONFIG_NOT_FOUND', message: `${join(dir, 'nowhere', 'config.json')}: missing: is this a model folder?` });
  });

  it.each([
    ['config.json', '{ nope', /config\.json: invalid JSON: /],
    ['generation_config.json', '{ nope', /generation_config\.json: invalid JSON: /],
    ['config.json', { ...good, n_layer: 1e15 }, /config\.json: "n_layer" 1000000000000000 is more than the 256 supported$/],
    ['config.json', { ...good, vocab_size: 1e12 }, /config\.json: "vocab_size" 1000000000000 is more than the 1048576 supported$/],
  ])('names the file and the problem in one line: %s %j', async (name, content, message) => {
    await write('config.json', good);
    await write(name, content);
    const error = (await readModelConfig(dir).catch((e: unknown) => e)) as ModelFolderError;
    expect(error).toBeInstanceOf(ModelFolderError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('never reads a huge config.json whole', async () => {
    await write('config.json', `{"model_type": "gpt2", "pad": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    await expect(readModelConfig(dir)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', file: join(dir, 'config.json') });
  });
});
