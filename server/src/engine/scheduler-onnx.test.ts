import { rm } from 'node:fs/promises';
import { tinyTestModel } from '@mimicbot/training/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, referenceGreedy, writeLayoutModel } from '../../testing/index.js';
import { loadDecoder, type BatchDecoder } from './onnx-decoder.js';
import { Scheduler, type SchedulerDecoder } from './scheduler.js';
import type { TokenResult } from './types.js';

const model = tinyTestModel(3); // context 64
const GREEDY = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
let root: string;
let real: BatchDecoder;

beforeAll(async () => {
  root = await makeTempDir();
  real = await loadDecoder((await writeLayoutModel(root, 'server', model)).dir, { intraOpNumThreads: 1 });
});
afterAll(async () => {
  await real?.release();
  await rm(root, { recursive: true, force: true });
});

describe('Scheduler on the real decoder', () => {
  it('fails only the sequence that runs past the graph\'s positions; its batch-mates get their reference tokens', async () => {
    // What a config.json claiming more context than the graph has did before load refused it (and what any
    // failure that belongs to one sequence does): the real runtime fails the whole batched step.
    const lying: SchedulerDecoder = {
      config: { ...real.config, nPositions: 1000 },
      maxBatchSize: real.maxBatchSize,
      prefill: (prompts) => real.prefill(prompts),
      merge: (rows) => real.merge(rows),
      step: (batch, tokens) => real.step(batch, tokens),
    };
    const longPrompt = Array.from({ length: 60 }, (_, t) => (t * 13) % 256);
    const outcomes = await runAll(lying, [longPrompt, ...SHORT], [20, ...SHORT.map(() => 12)]);
    expect((outcomes[0] as { error: Error }).error.message).toMatch(/wpe.*out of data bounds/);
    SHORT.forEach((prompt, i) => expect(outcomes[i + 1]).toEqual({ result: { tokenIds: referenceGreedy(model, prompt, 12), finishReason: 'length' } }));
  });
});

const SHORT = [[72, 101, 108, 108, 111], [1, 2], [200, 13, 99, 5]];

type Outcome = { result: TokenResult } | { error: Error };

/** Submits greedy requests together and waits for every one to end. */
async function runAll(decoder: SchedulerDecoder, prompts: number[][], maxNewTokens: number[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let left = prompts.length;
  let allEnded!: () => void;
  const ended = new Promise<void>((resolve) => (allEnded = resolve));
  const settle = (id: number, outcome: Outcome) => {
    outcomes[id] = outcome;
    if (--left === 0) allEnded();
  };
  const scheduler = new Scheduler(
    decoder,
    { onToken: () => {}, onDone: (id, result) => settle(id, { result }), onError: (id, error) => settle(id, { error: error as Error }) },
    { maxBatchSize: 8 },
  );
  prompts.forEach((promptIds, id) => scheduler.submit(id, { promptIds, maxNewTokens: maxNewTokens[id], sampling: GREEDY, stopTokenIds: [] }));
  await ended;
  await scheduler.close();
  return outcomes;
}
