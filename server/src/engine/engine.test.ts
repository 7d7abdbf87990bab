import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type OnnxEngine } from './engine.js';
import { EngineClosedError, InvalidTokenRequestError, ModelLoadError, QueueFullError } from './errors.js';
import { tinyTestModel } from '@mimicbot/training/testing';
import { makeTempDir, referenceGreedy, writeLayoutModel } from '../../testing/index.js';
import { loadDecoder } from './onnx-decoder.js';
import type { SamplingParams, TokenRequest, TokenResult } from './types.js';

const model = tinyTestModel(11);
const GREEDY: SamplingParams = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
const SEEDED: SamplingParams = { temperature: 0.9, topK: 40, topP: 0.95, repetitionPenalty: 1.2 };
/** 16 prompts of 1 to 16 tokens, different from each other. */
const PROMPTS = Array.from({ length: 16 }, (_, i) => Array.from({ length: i + 1 }, (_, t) => (i * 37 + t * 11) % 256));

let root: string;
let engine: OnnxEngine;

beforeAll(async () => {
  root = await makeTempDir();
  const { dir } = await writeLayoutModel(root, 'server', model);
  engine = await createEngine({ modelDir: dir, intraOpNumThreads: 1, maxBatchSize: 16, maxQueueSize: 4 });
});
afterAll(async () => {
  await engine?.close();
  await rm(root, { recursive: true, force: true });
});

/**
 * "Batched equals solo" only catches a KV-cache mix-up if mixing rows up would change the tokens: no two
 * continuations may be equal, none may repeat a single token, and at every step the prompts must disagree.
 */
function expectDifferentContinuations(results: TokenResult[]): void {
  const continuations = results.map((r) => r.tokenIds);
  expect(new Set(continuations.map((c) => c.join(','))).size).toBe(continuations.length);
  for (const c of continuations) expect(new Set(c).size).toBeGreaterThan(1);
  const steps = Math.min(...continuations.map((c) => c.length));
  for (let t = 0; t < steps; t++) expect(new Set(continuations.map((c) => c[t])).size).toBeGreaterThan(continuations.length / 4);
}

const request = (promptIds: number[], maxNewTokens: number, sampling = GREEDY, extra: Partial<TokenRequest> = {}): TokenRequest => ({
  promptIds,
  maxNewTokens,
  sampling,
  stopTokenIds: [],
  ...extra,
});

describe('createEngine', () => {
  it('reports the model it loaded', () => {
    expect(engine.model).toMatchObject({ nLayer: 2, vocabSize: 257, eosTokenId: 256, contract: 'server', maxBatchSize: 16 });
    expect(engine.model.graphFile.endsWith('server_decoder.onnx')).toBe(true);
  });

  it('gives the reference forward greedy tokens for a solo request', async () => {
    const result = await engine.generate(request(PROMPTS[4], 10));
    expect(result).toEqual({ tokenIds: referenceGreedy(model, PROMPTS[4], 10), finishReason: 'length' });
  });

  it('gives 16 concurrent greedy requests each exactly its solo tokens', async () => {
    const lengths = PROMPTS.map((_, i) => 6 + (i % 5) * 3); // they finish at different steps
    const solo = [];
    for (const [i, p] of PROMPTS.entries()) solo.push(await engine.generate(request(p, lengths[i])));
    let peakBatch = 0;
    const watch = setInterval(() => (peakBatch = Math.max(peakBatch, engine.stats().activeSequences)), 1);
    const together = await Promise.all(PROMPTS.map((p, i) => engine.generate(request(p, lengths[i]))));
    clearInterval(watch);
    expectDifferentContinuations(solo);
    expect(together).toEqual(solo);
    expect(peakBatch).toBeGreaterThan(1); // they did share steps
  });

  it('gives a seeded request the same tokens alone and in a batch, and different tokens for another seed', async () => {
    const alone = await engine.generate(request(PROMPTS[2], 12, { ...SEEDED, seed: 99 }));
    const batch = await Promise.all([
      engine.generate(request(PROMPTS[7], 20, { ...SEEDED, seed: 1 })),
      engine.generate(request(PROMPTS[2], 12, { ...SEEDED, seed: 99 })),
      engine.generate(request(PROMPTS[9], 5, GREEDY)),
    ]);
    expect(batch[1]).toEqual(alone);
    const other = await engine.generate(request(PROMPTS[2], 12, { ...SEEDED, seed: 100 }));
    expect(other.tokenIds).not.toEqual(alone.tokenIds);
  });

  it('streams each token through onToken before resolving', async () => {
    const seen: number[] = [];
    const result = await engine.generate(request(PROMPTS[3], 7, GREEDY, { onToken: (t) => seen.push(t) }));
    expect(seen).toEqual(result.tokenIds);
  });

  it('stops on a stop token without emitting it', async () => {
    const free = await engine.generate(request(PROMPTS[5], 10));
    const stopAt = free.tokenIds[3];
    const first = free.tokenIds.indexOf(stopAt);
    const stopped = await engine.generate(request(PROMPTS[5], 10, GREEDY, { stopTokenIds: [stopAt] }));
    expect(stopped).toEqual({ tokenIds: free.tokenIds.slice(0, first), finishReason: 'stop' });
  });

  it('frees an aborted request at the next step, keeping what it had, while the others go on', async () => {
    const controller = new AbortController();
    let count = 0;
    const long = engine.generate(
      request(PROMPTS[1], 50, GREEDY, {
        signal: controller.signal,
        onToken: () => {
          if (++count === 3) controller.abort();
        },
      }),
    );
    const other = engine.generate(request(PROMPTS[6], 12));
    const aborted = await long;
    expect(aborted.finishReason).toBe('aborted');
    expect(aborted.tokenIds.length).toBeGreaterThanOrEqual(3);
    expect(aborted.tokenIds.length).toBeLessThan(50);
    expect(aborted.tokenIds).toEqual(referenceGreedy(model, PROMPTS[1], aborted.tokenIds.length));
    expect((await other).tokenIds).toEqual(referenceGreedy(model, PROMPTS[6], 12));
    expect(engine.stats()).toEqual({ queueDepth: 0, activeSequences: 0 });
    const already = new AbortController();
    already.abort();
    expect(await engine.generate(request(PROMPTS[1], 5, GREEDY, { signal: already.signal }))).toEqual({ tokenIds: [], finishReason: 'aborted' });
  });

  it('rejects with QueueFullError once the batch and the queue are full, and serves the rest', async () => {
    const running = Array.from({ length: 16 + 4 }, (_, i) => engine.generate(request(PROMPTS[i % 16], 30)));
    await expect(engine.generate(request(PROMPTS[0], 5))).rejects.toBeInstanceOf(QueueFullError);
    expect(engine.stats().queueDepth + engine.stats().activeSequences).toBe(20);
    const results = await Promise.all(running);
    expect(results.every((r) => r.tokenIds.length === 30)).toBe(true);
  });

  it('rejects requests it cannot run, naming the field', async () => {
    await expect(engine.generate(request([], 5))).rejects.toBeInstanceOf(InvalidTokenRequestError);
    await expect(engine.generate(request([300], 5))).rejects.toThrow(/promptIds: token id 300/);
    await expect(engine.generate(request(new Array(64).fill(1), 5))).rejects.toThrow(/promptIds/);
    await expect(engine.generate(request([1], 5, { ...GREEDY, topP: 2 }))).rejects.toThrow(/topP/);
    expect(await engine.generate(request([1], 0))).toEqual({ tokenIds: [], finishReason: 'length' });
  });

  it('ends a sequence at the model context length', async () => {
    const prompt = new Array(60).fill(7);
    const result = await engine.generate(request(prompt, 50));
    expect(result).toEqual({ tokenIds: referenceGreedy(model, prompt, 4), finishReason: 'length' });
  });
});

describe('createEngine start-up and shutdown', () => {
  it('fails to start on a missing folder with a ModelLoadError', async () => {
    const error = await createEngine({ modelDir: join(root, 'missing') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).code).toBe('MODEL_DIR_NOT_FOUND');
  });

  it('refuses to start on a config.json that claims more context than its graph has', async () => {
    const dir = join(root, 'lying');
    await cp(join(root, 'server'), dir, { recursive: true });
    const configFile = join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify({ ...JSON.parse(await readFile(configFile, 'utf8')), n_positions: 100_000 }));
    const error = await createEngine({ modelDir: dir, intraOpNumThreads: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).code).toBe('MODEL_CONFIG_MISMATCH');
    expect((error as Error).message).toMatch(new RegExp(`^${configFile}: "n_positions" is 100000, but .* has 64 positions`));
  });

  it('close() lets running requests finish, then refuses new ones', async () => {
    const second = await createEngine({ modelDir: join(root, 'server'), intraOpNumThreads: 1 });
    const inFlight = second.generate(request(PROMPTS[8], 15));
    const closing = second.close();
    expect((await inFlight).tokenIds).toEqual(referenceGreedy(model, PROMPTS[8], 15));
    await closing;
    await expect(second.generate(request(PROMPTS[0], 1))).rejects.toBeInstanceOf(EngineClosedError);
  });

  it('keeps the main thread free while the worker computes', async () => {
    // A model and batch whose prefill blocks for a few hundred ms; the peer measured in the same run is
    // how long that prefill blocks the thread it runs on. Where the engine runs it on the main thread,
    // the event loop stalls at least that long at once; in the worker the loop only sees scheduling noise.
    const heavy = tinyTestModel(5, { nEmbd: 128, nHead: 4, nLayer: 2, nPositions: 256 });
    const { dir } = await writeLayoutModel(join(root, 'heavy'), 'server', heavy);
    const prompts = Array.from({ length: 12 }, (_, i) => Array.from({ length: 224 }, (_, t) => (i * 31 + t * 7) % 256));
    const inline = await loadDecoder(dir, { intraOpNumThreads: 1 });
    let blockingMs = Infinity;
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      await inline.prefill(prompts);
      blockingMs = Math.min(blockingMs, performance.now() - started);
    }
    await inline.release();

    const inWorker = await createEngine({ modelDir: dir, intraOpNumThreads: 1 });
    try {
      let last = performance.now();
      let longestGapMs = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        longestGapMs = Math.max(longestGapMs, now - last);
        last = now;
      }, 2);
      const results = await Promise.all(prompts.map((p) => inWorker.generate(request(p, 4))));
      clearInterval(timer);
      expect(results.map((r) => r.tokenIds.length)).toEqual(new Array(12).fill(4));
      expect(longestGapMs).toBeLessThan(blockingMs / 2);
    } finally {
      await inWorker.close();
    }
  });
});

describe('createEngine on the standard (optimum) graph', () => {
  it('gives 16 concurrent greedy requests each its reference tokens', async () => {
    const { dir } = await writeLayoutModel(root, 'transformersjs', model);
    const standard = await createEngine({ modelDir: dir, intraOpNumThreads: 1 });
    try {
      expect(standard.model.contract).toBe('standard');
      const results = await Promise.all(PROMPTS.map((p, i) => standard.generate(request(p, 4 + (i % 4) * 2))));
      expectDifferentContinuations(results);
      results.forEach((r, i) => expect(r.tokenIds).toEqual(referenceGreedy(model, PROMPTS[i], 4 + (i % 4) * 2)));
    } finally {
      await standard.close();
    }
  });
});
