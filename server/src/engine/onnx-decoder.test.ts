import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from './errors.js';
import { loadDecoder, type BatchDecoder, type KvBatch } from './onnx-decoder.js';
import { argmax } from '@mimicbot/model-format/sampling';
import { gpt2Forward } from '@mimicbot/training';
import { tinyTestModel } from '@mimicbot/training/testing';
import { makeTempDir, referenceGreedy, writeLayoutModel, type TestLayout } from '../../testing/index.js';

const model = tinyTestModel(7);
const PROMPTS = [[72, 101, 108, 108, 111], [1, 2], [200, 13, 99, 5, 5, 5, 9, 250, 31], [42]];
const NEW = 8;
let root: string;
const dirs = new Map<TestLayout, string>();

beforeAll(async () => {
  root = await makeTempDir();
  for (const layout of ['server', 'server-time-major', 'standard', 'transformersjs', 'no-position-ids', 'merged', 'server-last-only'] as const) {
    dirs.set(layout, (await writeLayoutModel(root, layout, model)).dir);
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Prefill alone, then greedy steps on a batch of one. */
async function soloGreedy(decoder: BatchDecoder, prompt: number[], n: number): Promise<number[]> {
  let { logits, batch } = await decoder.prefill([prompt]);
  const out = [argmax(logits[0])];
  while (out.length < n) {
    ({ logits, batch } = await decoder.step(batch, [out.at(-1)!]));
    out.push(argmax(logits[0]));
  }
  return out;
}

/** The reference forward's logits at every position of `ids`. */
function referenceRows(ids: number[]): Float32Array[] {
  const V = model.config.vocabSize;
  const { logits } = gpt2Forward(model.config, model.weights, { batchSize: 1, inputIds: ids, attentionMask: ids.map(() => 1), positionIds: ids.map((_, t) => t) });
  return ids.map((_, t) => logits.slice(t * V, (t + 1) * V));
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('prefill with scorePrompt', () => {
  it.each(['server', 'server-time-major', 'standard'] as const)('on the %s layout gives every prompt position the reference logits, left padding and all', async (layout) => {
    const decoder = await loadDecoder(dirs.get(layout)!, { intraOpNumThreads: 1 });
    try {
      expect(decoder.canScorePrompt).toBe(true);
      const prompts = [PROMPTS[2], PROMPTS[0], PROMPTS[3]]; // the shorter two are left-padded
      const { logits, promptLogits } = await decoder.prefill(prompts, { scorePrompt: true });
      prompts.forEach((prompt, b) => {
        const ref = referenceRows(prompt);
        expect(promptLogits![b]).toHaveLength(prompt.length - 1);
        promptLogits![b].forEach((row, t) => expect(maxDiff(row, ref[t])).toBeLessThan(1e-4));
        expect(maxDiff(logits[b], ref.at(-1)!)).toBeLessThan(1e-4);
      });
      expect((await decoder.prefill([PROMPTS[0]])).promptLogits).toBeUndefined(); // only when asked
    } finally {
      await decoder.release();
    }
  });

  it('is refused by a server graph exported before logits_positions, which still loads and decodes', async () => {
    const decoder = await loadDecoder(dirs.get('server-last-only')!, { intraOpNumThreads: 1 });
    try {
      expect(decoder.layout.contract).toBe('server');
      expect(decoder.canScorePrompt).toBe(false);
      expect(await soloGreedy(decoder, PROMPTS[0], NEW)).toEqual(referenceGreedy(model, PROMPTS[0], NEW));
      await expect(decoder.prefill([PROMPTS[0]], { scorePrompt: true })).rejects.toThrow(/last-position logits only; it cannot score a prompt/);
    } finally {
      await decoder.release();
    }
  });
});

describe('loadDecoder', () => {
  it.each(['server', 'server-time-major', 'standard', 'transformersjs', 'no-position-ids', 'merged'] as const)('loads the %s layout and its greedy tokens equal the reference forward', async (layout) => {
    const decoder = await loadDecoder(dirs.get(layout)!, { intraOpNumThreads: 1 });
    try {
      const expectedFile = { server: 'server_decoder.onnx', 'server-time-major': 'server_decoder.onnx', standard: 'model.onnx', transformersjs: 'onnx/model.onnx', 'no-position-ids': 'model.onnx', merged: 'onnx/decoder_model_merged.onnx' }[layout];
      expect(decoder.graphFile.endsWith(expectedFile)).toBe(true);
      expect(decoder.layout.contract).toBe(layout.startsWith('server') ? 'server' : 'standard');
      expect(decoder.layout.cache).toBe(layout === 'server-time-major' ? 'time-major' : 'heads');
      expect(decoder.layout.hasUseCacheBranch).toBe(layout === 'merged');
      expect(decoder.maxBatchSize).toBe(layout === 'no-position-ids' ? 1 : Number.MAX_SAFE_INTEGER);
      for (const prompt of PROMPTS.slice(0, 2)) expect(await soloGreedy(decoder, prompt, NEW)).toEqual(referenceGreedy(model, prompt, NEW));
    } finally {
      await decoder.release();
    }
  });

  it('refuses a folder without a graph, naming the folder and the files it looked for', async () => {
    await expect(loadDecoder(join(root, 'nowhere'))).rejects.toThrow(/no such folder/);
    const empty = await makeTempDir();
    await writeFile(join(empty, 'config.json'), '{}');
    await expect(loadDecoder(empty)).rejects.toMatchObject({ code: 'MODEL_GRAPH_NOT_FOUND' });
    await rm(empty, { recursive: true });
  });

  it('refuses a corrupt ONNX file with one line naming it', async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_layer: 2, n_head: 2, n_embd: 32, vocab_size: 257, n_positions: 64, eos_token_id: 256 }));
    await writeFile(join(dir, 'model.onnx'), 'this is not protobuf');
    const error = await loadDecoder(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).code).toBe('MODEL_GRAPH_INVALID');
    expect((error as Error).message).toContain(join(dir, 'model.onnx'));
    expect((error as Error).message).not.toContain('\n');
    await rm(dir, { recursive: true });
  });

  it.each([
    ['server', { n_positions: 100_000 }, /"n_positions" is 100000, but .*server_decoder\.onnx has 64 positions/],
    ['standard', { n_positions: 100_000 }, /"n_positions" is 100000, but .*model\.onnx has 64 positions/],
    ['server', { vocab_size: 50_000 }, /"vocab_size" is 50000, but .* gives logits for 257 tokens/],
    ['standard', { vocab_size: 300 }, /"vocab_size" is 300, but .* gives logits for 257 tokens/],
    ['server', { n_layer: 200 }, /"n_layer" is 200, but .* takes past keys for 2 layers/],
    ['standard', { n_layer: 3 }, /"n_layer" is 3, but .* takes past keys for 2 layers/],
    ['standard', { n_head: 4 }, /"n_head" is 4, but .* has a cache of 2 heads/],
    ['standard', { n_embd: 64 }, /"n_embd" is 64, but .* has a cache of 2 heads of 16 channels/],
    ['server', { n_head: 4 }, /"n_head" is 4, but .* has a cache of 2 heads/],
    ['server', { n_embd: 64 }, /"n_embd" is 64, but .* has a cache of 2 heads of 16 channels/],
    ['server-time-major', { n_embd: 64 }, /"n_embd" is 64, but .* has a cache of 32 channels/],
  ] as const)('refuses a %s graph whose config.json claims %j, in one line naming the file and the field', async (layout, claim, expected) => {
    const dir = join(await makeTempDir(), layout);
    await cp(dirs.get(layout)!, dir, { recursive: true });
    const configFile = join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify({ ...JSON.parse(await readFile(configFile, 'utf8')), ...claim }));
    const error = await loadDecoder(dir, { intraOpNumThreads: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ModelLoadError', code: 'MODEL_CONFIG_MISMATCH' });
    expect((error as Error).message.startsWith(`${configFile}: `)).toBe(true);
    expect((error as Error).message).toMatch(expected);
    expect((error as Error).message).not.toContain('\n');
    await rm(dirname(dir), { recursive: true });
  });

  // Absurd sizes never reach the graph: config.json's own rules (@mimicbot/model-format) refuse them first.
  it.each([
    [{ n_positions: 1e9 }, /config\.json: "n_positions" 1000000000 is more than the 131072 supported/],
    [{ vocab_size: 1e12 }, /config\.json: "vocab_size" 1000000000000 is more than the 1048576 supported/],
    [{ n_layer: 1e15 }, /config\.json: "n_layer" 1000000000000000 is more than the 256 supported/],
    [{ eos_token_id: 50256 }, /config\.json: "eos_token_id" 50256 is not a token id below vocab_size 257/],
  ] as const)('refuses config.json claiming %j before loading the graph, in one line', async (claim, expected) => {
    const dir = join(await makeTempDir(), 'server');
    await cp(dirs.get('server')!, dir, { recursive: true });
    const configFile = join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify({ ...JSON.parse(await readFile(configFile, 'utf8')), ...claim }));
    const error = await loadDecoder(dir, { intraOpNumThreads: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ModelLoadError', code: 'MODEL_CONFIG_INVALID' });
    expect((error as Error).message).toMatch(expected);
    expect((error as Error).message).not.toContain('\n');
    await rm(dirname(dir), { recursive: true });
  });

  it('accepts a config.json that claims less context than the graph has', async () => {
    const dir = join(await makeTempDir(), 'server');
    await cp(dirs.get('server')!, dir, { recursive: true });
    const configFile = join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify({ ...JSON.parse(await readFile(configFile, 'utf8')), n_positions: 32 }));
    const decoder = await loadDecoder(dir, { intraOpNumThreads: 1 });
    expect(decoder.config.nPositions).toBe(32);
    await decoder.release();
    await rm(dirname(dir), { recursive: true });
  });
});

describe('batched steps', () => {
  it.each(['server', 'server-time-major', 'standard'] as const)('%s: rows of different lengths, prefilled together, joined and dropped mid-way, get their solo greedy tokens', async (layout) => {
    const decoder = await loadDecoder(dirs.get(layout)!, { intraOpNumThreads: 1 });
    try {
      const solo = await Promise.all(PROMPTS.map((p) => soloGreedy(decoder, p, NEW)));
      // Rows 0 and 1 start together; row 2 joins after 3 steps; row 1 leaves after 5; row 3 joins then.
      const tokens: number[][] = PROMPTS.map(() => []);
      const prefilled = async (i: number) => {
        const r = await decoder.prefill([PROMPTS[i]]);
        tokens[i].push(argmax(r.logits[0]));
        return r.batch;
      };
      let rows = [0, 1];
      const first = await decoder.prefill([PROMPTS[0], PROMPTS[1]]); // left-padded prefill of two prompts
      first.logits.forEach((l, i) => tokens[i].push(argmax(l)));
      let batch: KvBatch = first.batch;
      for (let step = 1; step < 14; step++) {
        if (step === 3) {
          batch = decoder.merge([...rows.map((_, r) => ({ batch, row: r })), { batch: await prefilled(2), row: 0 }]);
          rows = [...rows, 2];
        }
        if (step === 5) {
          batch = decoder.merge([...rows.map((i, r) => ({ batch, row: r, i })).filter(({ i }) => i !== 1), { batch: await prefilled(3), row: 0, i: 3 }]);
          rows = [...rows.filter((i) => i !== 1), 3];
        }
        const active = rows.filter((i) => tokens[i].length < NEW);
        if (active.length < rows.length) {
          batch = decoder.merge(rows.map((i, r) => ({ batch, row: r, i })).filter(({ i }) => tokens[i].length < NEW));
          rows = active;
        }
        if (rows.length === 0) break;
        const result = await decoder.step(batch, rows.map((i) => tokens[i].at(-1)!));
        batch = result.batch;
        rows.forEach((i, r) => tokens[i].push(argmax(result.logits[r])));
      }
      expect(tokens[0]).toEqual(solo[0]);
      expect(tokens[2]).toEqual(solo[2]);
      expect(tokens[3]).toEqual(solo[3]);
      expect(tokens[1].length).toBe(5); // it left after 5 tokens
      expect(tokens[1]).toEqual(solo[1].slice(0, 5));
    } finally {
      await decoder.release();
    }
  });
});
