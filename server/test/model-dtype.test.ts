import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gpt2Forward, type Gpt2Config, type Gpt2Weights } from '@mimicbot/training';
import { quantizeModelFolder } from '@mimicbot/training/onnx';
import { tinyTestModel } from '@mimicbot/training/testing';
import { writeLayoutModel } from '@mimicbot/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../src/engine/errors.js';
import { makeTempDir, postJson, startTestServer, testServers, type TestServer } from './helpers.js';

// The same scaled tiny model (greedy tokens that change from prompt to prompt) in fp32 and quantized by our
// quantizer, served over a real socket on the real onnxruntime.
const PROMPTS = ['The cat', 'a', 'Hello, world', 'zq!', 'never trust'];
const NEW_TOKENS = 12;

const MODEL = tinyTestModel(11, { nEmbd: 64, nHead: 4, nLayer: 3 });

let root: string;
let quantized: string;
let fp32Only: string;
const servers = testServers();

beforeAll(async () => {
  root = await makeTempDir();
  // 3 x 64 channels: K = 64 and 256 fill whole blocks of 32; the 257-token byte vocabulary leaves the head's N odd.
  fp32Only = (await writeLayoutModel(root, 'server', MODEL)).dir;
  quantized = join(root, 'quantized');
  await cp(fp32Only, quantized, { recursive: true });
  await quantizeModelFolder(quantized, { bits: 8, blockSize: 32, symmetric: false, keepHead: false });
  await quantizeModelFolder(quantized, { bits: 4, blockSize: 32, symmetric: false, keepHead: false });
}, 120_000);
afterAll(async () => {
  await servers.shutdown();
  await rm(root, { recursive: true, force: true });
});

const { start } = servers;

interface Greedy {
  promptIds: number[];
  tokenIds: number[];
}

/** Greedy continuation of each prompt, as the engine returned it. */
async function greedy(server: TestServer): Promise<Greedy[]> {
  const out: Greedy[] = [];
  for (const prompt of PROMPTS) {
    const before = server.results.length;
    const response = await postJson(`${server.url}/`, { prompt, length: NEW_TOKENS, temperature: 0 });
    expect(response.status, JSON.stringify(response.json)).toBe(200);
    const { request, result } = server.results.slice(before).at(-1)!;
    out.push({ promptIds: [...request.promptIds], tokenIds: result.tokenIds });
  }
  return out;
}

/** Share of fp32's tokens another dtype reproduces before its first difference, over every prompt. */
function agreement(reference: Greedy[], other: Greedy[]): number {
  let same = 0;
  let total = 0;
  reference.forEach(({ tokenIds }, p) => {
    total += tokenIds.length;
    const first = tokenIds.findIndex((id, i) => other[p].tokenIds[i] !== id);
    same += first === -1 ? tokenIds.length : first;
  });
  return same / total;
}

/**
 * Where another dtype first leaves fp32's greedy path: how far below fp32's pick its own pick scores in the
 * fp32 reference forward (plain TypeScript) at that position. A small margin is a near-tie that quantization
 * may flip; a large one would be a bug.
 */
function divergenceMargins(model: { config: Gpt2Config; weights: Gpt2Weights }, reference: Greedy[], other: Greedy[]): number[] {
  const V = model.config.vocabSize;
  const margins: number[] = [];
  reference.forEach(({ promptIds, tokenIds }, p) => {
    const at = tokenIds.findIndex((id, i) => other[p].tokenIds[i] !== id);
    if (at === -1) return;
    const ids = [...promptIds, ...tokenIds.slice(0, at)];
    const T = ids.length;
    const { logits } = gpt2Forward(model.config, model.weights, { batchSize: 1, inputIds: ids, attentionMask: ids.map(() => 1), positionIds: ids.map((_, t) => t) });
    const last = logits.subarray((T - 1) * V, T * V);
    margins.push(last[tokenIds[at]] - last[other[p].tokenIds[at]]);
  });
  return margins;
}

describe('MODEL_DTYPE: which graph the server runs', () => {
  it('serves the fewest bits the folder has by default, and what MODEL_DTYPE names otherwise', async () => {
    const best = await start(quantized, {});
    expect(best.engine.model.graph).toEqual({ file: 'server_decoder_q4.onnx', contract: 'server', dtype: 'q4' });
    expect(best.engine.model.graphFile).toBe(join(quantized, 'server_decoder_q4.onnx'));
    for (const dtype of ['fp32', 'q8'] as const) {
      const server = await start(quantized, { MODEL_DTYPE: dtype });
      expect(server.engine.model.graph).toEqual({ file: dtype === 'fp32' ? 'server_decoder.onnx' : 'server_decoder_q8.onnx', contract: 'server', dtype });
    }
  });

  it("follows fp32's greedy path until a near-tie in fp32's own logits, at 8 and at 4 bits", async () => {
    const [fp32, q8, q4] = await Promise.all(['fp32', 'q8', 'q4'].map(async (dtype) => greedy(await start(quantized, { MODEL_DTYPE: dtype }))));
    expect(new Set(fp32.map((g) => g.tokenIds.join(','))).size).toBe(PROMPTS.length); // the model is not flat
    // Measured on this model (deterministic): q8 keeps 80% of fp32's tokens before the first difference, and its one
    // divergence is at a 0.019 tie; q4 keeps 25%, diverging where fp32's pick led q4's by 0.02-0.83. fp32's logits
    // there have an rms of ~1.5 and the top token leads a typical one by ~4, so a wrong scale, zero point or
    // transpose (a different model) would leave margins of several units. Quality on trained models: docs/quantization.md.
    expect(agreement(fp32, q8)).toBeGreaterThanOrEqual(0.8);
    for (const margin of divergenceMargins(MODEL, fp32, q8)) expect(margin).toBeLessThan(0.05);
    expect(agreement(fp32, q4)).toBeGreaterThanOrEqual(0.25);
    for (const margin of divergenceMargins(MODEL, fp32, q4)) expect(margin).toBeLessThan(1);
  });

  it('builds the server q4 graph from the standard one when that is the only q4 graph, with the same tokens', async () => {
    const standardOnly = join(root, 'standard-q4');
    await cp(quantized, standardOnly, { recursive: true });
    await rm(join(standardOnly, 'server_decoder_q4.onnx'));
    // The fast path (test/fast-path.test.ts) builds it from onnx/model_q4.onnx's own blocks.
    const server = await start(standardOnly, { MODEL_DTYPE: 'q4' });
    expect(server.engine.model.graph).toEqual({ file: 'server_decoder_q4.onnx', contract: 'server', dtype: 'q4' });
    const fromServerGraph = await start(quantized, { MODEL_DTYPE: 'q4' });
    // Same quantized weights, same math: the quantizer's server graph and the one built from its export agree token for token.
    expect(await greedy(server)).toEqual(await greedy(fromServerGraph));
  });

  it('refuses to start when the folder lacks the dtype asked for, naming the files it looked for', async () => {
    const failure = startTestServer(fp32Only, { MODEL_DTYPE: 'q4' });
    await expect(failure).rejects.toBeInstanceOf(ModelLoadError);
    await expect(failure).rejects.toThrow(
      `MODEL_DTYPE=q4: ${fp32Only}: no q4 ONNX graph found (looked for server_decoder_q4.onnx, onnx/model_q4.onnx). ` +
        'Quantize the folder (mimicbot quantize <model-dir> --bits 4), or unset MODEL_DTYPE to serve the best graph the folder has.',
    );
  });
});
