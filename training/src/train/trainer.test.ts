import { describe, expect, it } from 'vitest';
import { initGpt2Weights } from '../model/init-weights.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { createAdamWState } from './adamw.js';
import { tokenizeCorpus } from './token-corpus.js';
import { DEFAULT_TRAIN_OPTIONS, train, type TrainerState, type TrainOptions } from './trainer.js';

const EOS = 256;
const bytes = (text: string) => Array.from(new TextEncoder().encode(text));
const posts = [
  'the cat sat on the mat.',
  'the dog sat on the log.',
  'a bird sang in the tree.',
  'the cat saw the bird.',
  'the dog ran to the cat.',
  'a fish swam in the sea.',
];
const corpusText = posts.map((p) => p + '<|endoftext|>').join('');

function freshState(): TrainerState {
  const config = tinyGpt2Config({ nPositions: 32 });
  const weights = initGpt2Weights(config, 1);
  return { config, weights, optimizer: createAdamWState(weights), step: 0, trainLoss: [], validLoss: [] };
}

const options: TrainOptions = {
  ...DEFAULT_TRAIN_OPTIONS,
  steps: 150,
  batchSize: 4,
  seqLen: 32,
  schedule: { maxLr: 1e-2, minLr: 1e-3, warmupSteps: 10 },
  evalEvery: 50,
  evalBatches: 4,
  checkpointEvery: 1000,
  threads: 1,
};

describe('trainer', () => {
  it('drives the loss on a tiny corpus well below half its starting value within 150 steps', async () => {
    const train0 = tokenizeCorpus(corpusText, bytes, EOS);
    const state = await train(freshState(), { train: train0, valid: train0, eosTokenId: EOS }, options);
    const first = state.trainLoss[0].loss;
    const lastTen = state.trainLoss.slice(-10).reduce((s, p) => s + p.loss, 0) / 10;
    expect(first).toBeGreaterThan(5); // ~log(257) at init
    expect(lastTen).toBeLessThan(0.5 * first);
    expect(state.validLoss.map((p) => p.step)).toEqual([0, 50, 100, 150]);
    expect(state.validLoss.at(-1)!.loss).toBeLessThan(0.5 * state.validLoss[0].loss);
  });

  it('resumes exactly: 20 steps, then 20 more from the saved state, equals 40 steps at once', async () => {
    const corpus = tokenizeCorpus(corpusText, bytes, EOS);
    const data = { train: corpus, eosTokenId: EOS };
    const short = { ...options, steps: 40, evalEvery: 1000 };
    const straight = await train(freshState(), data, short);
    let saved: TrainerState | undefined;
    const firstHalf = await train(freshState(), data, { ...short, checkpointEvery: 20 }, {
      onCheckpoint: async (s) => {
        if (s.step === 20) saved = structuredClone(s);
      },
    });
    expect(firstHalf.step).toBe(40);
    const resumed = await train(saved!, data, short);
    expect(resumed.trainLoss.map((p) => p.loss)).toEqual(straight.trainLoss.map((p) => p.loss));
    expect(Array.from(resumed.weights.get('wte.weight')!)).toEqual(Array.from(straight.weights.get('wte.weight')!));
  });
});
