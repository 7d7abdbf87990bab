import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelCard } from '@mimicbot/model-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initGpt2Weights } from '../model/init-weights.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { buildByteLevelTokenizer } from '../tokenizer/index.js';
import { adamwUpdate, createAdamWState } from './adamw.js';
import { loadTrainingCheckpoint, saveTrainingCheckpoint } from './training-checkpoint.js';
import type { TrainerState } from './trainer.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ckpt-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function stateAfterOneUpdate(): TrainerState {
  const config = tinyGpt2Config({ nEmbd: 16, nLayer: 1 });
  const weights = initGpt2Weights(config, 4);
  const optimizer = createAdamWState(weights);
  const grads = new Map([...weights].map(([name, w]) => [name, w.map((x, i) => Math.sin(i) * 0.1 + x)]));
  adamwUpdate(weights, grads, optimizer, 1e-3);
  return { config, weights, optimizer, step: 1, trainLoss: [{ step: 1, loss: 5.5 }], validLoss: [{ step: 0, loss: 5.6 }] };
}

describe('training checkpoints', () => {
  it('round-trips weights, AdamW moments, step and loss history exactly, replacing the previous checkpoint', async () => {
    const dir = join(root, 'a');
    const state = stateAfterOneUpdate();
    await saveTrainingCheckpoint(dir, { ...state, step: 0 }, buildByteLevelTokenizer());
    await saveTrainingCheckpoint(dir, state, buildByteLevelTokenizer());
    const loaded = await loadTrainingCheckpoint(dir);
    expect(loaded.step).toBe(1);
    expect(loaded.optimizer.step).toBe(1);
    expect(loaded.config).toEqual(state.config);
    expect(loaded.trainLoss).toEqual(state.trainLoss);
    expect(loaded.validLoss).toEqual(state.validLoss);
    for (const [name, w] of state.weights) {
      expect(Array.from(loaded.weights.get(name)!), name).toEqual(Array.from(w));
      expect(Array.from(loaded.optimizer.m.get(name)!), `m.${name}`).toEqual(Array.from(state.optimizer.m.get(name)!));
      expect(Array.from(loaded.optimizer.v.get(name)!), `v.${name}`).toEqual(Array.from(state.optimizer.v.get(name)!));
    }
    expect(JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8'))).toMatchObject({ eos_token: '<|endoftext|>' });
    expect(await readModelCard(dir)).toMatchObject({ title: 'a', description: expect.stringMatching(/^Trained by mimicbot for 1 steps\. A GPT-2 with 1 layers, 2 heads and 16 channels/) });
  });

  it('refuses a checkpoint whose optimizer state is from another step than its trainer state', async () => {
    const dir = join(root, 'b');
    await saveTrainingCheckpoint(dir, stateAfterOneUpdate(), buildByteLevelTokenizer());
    await writeFile(join(dir, 'trainer_state.json'), JSON.stringify({ step: 7, trainLoss: [], validLoss: [] }));
    await expect(loadTrainingCheckpoint(dir)).rejects.toThrow(/optimizer\.safetensors: holds step 1 but trainer_state\.json says 7/);
  });
});
