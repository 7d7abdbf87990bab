import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelCard, readModelConfig, SERVER_DECODER_FILE } from '@mimicbot/model-format';
import { writeRandomModel } from './write-random-model.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'random-model-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('writeRandomModel', () => {
  it('writes a tiny GPT-2-vocabulary folder with the server decoder, with shape overrides applied', async () => {
    const dir = join(root, 'default');
    const config = await writeRandomModel(dir, { config: { nPositions: 64 } });
    expect(config).toMatchObject({ nLayer: 2, nEmbd: 32, nPositions: 64, vocabSize: 50257, eosTokenId: 50256 });
    expect(await readModelConfig(dir)).toMatchObject({ nPositions: 64, vocabSize: 50257 });
    expect(existsSync(join(dir, 'tokenizer.json'))).toBe(true);
    expect(existsSync(join(dir, SERVER_DECODER_FILE))).toBe(true);
    expect((await readModelCard(dir)).description).toMatch(/^Random weights \(seed 1\), untrained: a stand-in that writes noise\. A GPT-2 with 2 layers/);
  });
  it('leaves the server decoder out when asked', async () => {
    const dir = join(root, 'plain');
    await writeRandomModel(dir, { serverDecoder: false });
    expect(existsSync(join(dir, 'model.onnx'))).toBe(true);
    expect(existsSync(join(dir, SERVER_DECODER_FILE))).toBe(false);
  });
});
