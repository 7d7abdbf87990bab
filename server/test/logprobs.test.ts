/**
 * `logprobs` and `echo` on /v1/completions, end to end (the real app over a socket, the real engine on
 * server_decoder.onnx), against the training package's plain-TypeScript forward: every number within 1e-4,
 * alone, in a batch with other requests, and streamed. The model is the scaled tiny model (its
 * distributions are far from flat, so a score from the wrong position or the wrong row is caught) with the
 * byte-level tokenizer (one token per byte, so "é" is two tokens that are not text on their own).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpt2Forward } from '@mimicbot/training';
import { tinyTestModel } from '@mimicbot/training/testing';
import { writeLayoutModel, type TinyModel } from '@mimicbot/server/testing';
import { makeTempDir, postJson, sseData, startTestServer, type TestServer } from './helpers.js';

const TOLERANCE = 1e-4;
const model: TinyModel = tinyTestModel();
const V = model.config.vocabSize;
let root: string;
let server: TestServer;
let oldGraph: TestServer;

beforeAll(async () => {
  root = await makeTempDir();
  const dir = (await writeLayoutModel(root, 'server', model)).dir;
  await writeFile(join(dir, 'README.md'), '---\ndescription: A tiny model that writes like nobody in particular.\n---\n\n# Tiny\n\nMore text.\n');
  server = await startTestServer(dir);
  oldGraph = await startTestServer((await writeLayoutModel(root, 'server-last-only', model)).dir);
}, 60_000);
afterAll(async () => {
  await Promise.all([server?.shutdown(), oldGraph?.shutdown()]);
  await rm(root, { recursive: true, force: true });
});

const bytes = (text: string) => [...Buffer.from(text, 'utf8')];

/** Reference log-softmax (float64) of the position predicting token t + 1 of `ids`, for each t. */
function referenceLogprobs(ids: number[]): number[][] {
  const T = ids.length;
  const { logits } = gpt2Forward(model.config, model.weights, { batchSize: 1, inputIds: ids, attentionMask: ids.map(() => 1), positionIds: ids.map((_, t) => t) });
  return Array.from({ length: T }, (_, t) => {
    const row = Array.from(logits.subarray(t * V, (t + 1) * V));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
    return row.map((x) => x - lse);
  });
}

interface WireLogprobs {
  tokens: string[];
  token_logprobs: (number | null)[];
  top_logprobs: (Record<string, number> | null)[];
  text_offset: number[];
}

/** Checks entries `from..` of `lp` score `ids[from..]` (each given what precedes it) as the reference does, with k alternatives. */
function expectReference(lp: WireLogprobs, ids: number[], firstScored: number, k: number): void {
  const ref = referenceLogprobs(ids);
  expect(lp.token_logprobs).toHaveLength(ids.length - firstScored + (firstScored === 1 ? 1 : 0));
  lp.token_logprobs.forEach((got, i) => {
    const t = firstScored === 1 ? i : firstScored + i; // index in ids of the token entry i scores
    if (t === 0) {
      expect(got).toBeNull();
      expect(lp.top_logprobs[i]).toBeNull();
      return;
    }
    const dist = ref[t - 1];
    expect(Math.abs(got! - dist[ids[t]])).toBeLessThan(TOLERANCE);
    // The alternatives: the k most likely plus the token itself.
    const topK = [...dist].sort((a, b) => b - a).slice(0, k);
    const want = topK.some((x) => Math.abs(x - dist[ids[t]]) < 1e-9) ? topK : [...topK, dist[ids[t]]].sort((a, b) => b - a);
    const values = Object.values(lp.top_logprobs[i]!).sort((a, b) => b - a);
    expect(values).toHaveLength(want.length);
    values.forEach((v, j) => expect(Math.abs(v - want[j])).toBeLessThan(TOLERANCE));
  });
}

/** Every token's text sits at its offset in the returned text (tokens that are bytes of a character: that character's start). */
function expectOffsetsIndexText(lp: WireLogprobs, text: string): void {
  lp.tokens.forEach((token, i) => {
    const at = lp.text_offset[i];
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThan(text.length);
    if (!token.startsWith('bytes:')) expect(text.slice(at, at + token.length)).toBe(token);
  });
}

const generatedIds = (srv: TestServer, prompt: number[]) => srv.results.filter((r) => r.request.promptIds.join() === prompt.join()).map((r) => r.result.tokenIds);

describe('/v1/completions logprobs', () => {
  it('gives each sampled token its log-probability and its top 3 alternatives, as the reference forward does', async () => {
    const prompt = 'Hello there';
    const { status, json } = await postJson(`${server.url}/v1/completions`, { prompt, max_tokens: 12, temperature: 1, seed: 5, logprobs: 3 });
    expect(status).toBe(200);
    const { text, logprobs } = json.choices[0] as { text: string; logprobs: WireLogprobs };
    const [ids] = generatedIds(server, bytes(prompt));
    expect(ids).toHaveLength(12);
    expectReference(logprobs, [...bytes(prompt), ...ids], bytes(prompt).length, 3);
    expectOffsetsIndexText(logprobs, text);
    expect(logprobs.text_offset[0]).toBe(0); // into the returned text, which here is the completion only
  });

  it('gives the same numbers to a request batched with others, and nothing to those that did not ask', async () => {
    const prompt = 'The batch';
    const others = ['a', 'bb', 'ccc', 'dddd'].map((p) => postJson(`${server.url}/v1/completions`, { prompt: p, max_tokens: 12, temperature: 0.9, seed: 1 }));
    const asking = postJson(`${server.url}/v1/completions`, { prompt, max_tokens: 12, temperature: 0, logprobs: 2 });
    const [mine, ...rest] = await Promise.all([asking, ...others]);
    for (const other of rest) expect(other.json.choices[0].logprobs).toBeNull();
    const ids = generatedIds(server, bytes(prompt)).at(-1)!;
    expectReference(mine.json.choices[0].logprobs, [...bytes(prompt), ...ids], bytes(prompt).length, 2);
  });

  it('streams each piece of text with the log-probabilities of its tokens, adding up to the plain response', async () => {
    const body = { prompt: 'Stream me', max_tokens: 16, temperature: 1, seed: 3, logprobs: 1 };
    const plain = (await postJson(`${server.url}/v1/completions`, body)).json.choices[0] as { text: string; logprobs: WireLogprobs };
    const response = await fetch(`${server.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, stream: true }) });
    const chunks = sseData(await response.text()).filter((d) => d !== '[DONE]').map((d) => JSON.parse(d).choices[0] as { text: string; logprobs: WireLogprobs });
    let text = '';
    const merged: WireLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
    for (const chunk of chunks) {
      // Each chunk's tokens start inside that chunk's text.
      for (const offset of chunk.logprobs.text_offset) expect(offset >= text.length && offset < text.length + chunk.text.length).toBe(true);
      text += chunk.text;
      merged.tokens.push(...chunk.logprobs.tokens);
      merged.token_logprobs.push(...chunk.logprobs.token_logprobs);
      merged.top_logprobs.push(...chunk.logprobs.top_logprobs);
      merged.text_offset.push(...chunk.logprobs.text_offset);
    }
    expect(text).toBe(plain.text);
    expect(merged).toEqual(plain.logprobs);
    const ids = generatedIds(server, bytes('Stream me')).at(-1)!;
    expectReference(merged, [...bytes('Stream me'), ...ids], bytes('Stream me').length, 1);
  });

  it('with logprobs 0 lists just the sampled token, and refuses more than 5', async () => {
    const { json } = await postJson(`${server.url}/v1/completions`, { prompt: 'x', max_tokens: 4, temperature: 1, seed: 8, logprobs: 0 });
    for (const [i, top] of (json.choices[0].logprobs as WireLogprobs).top_logprobs.entries()) expect(top).toEqual({ [json.choices[0].logprobs.tokens[i]]: json.choices[0].logprobs.token_logprobs[i] });
    const refused = await postJson(`${server.url}/v1/completions`, { prompt: 'x', logprobs: 6 });
    expect(refused.status).toBe(400);
    expect(refused.json.error.param).toBe('logprobs');
  });
});

describe('/v1/completions echo', () => {
  it('with max_tokens 0 scores the given text: the first token null, the rest as the reference forward', async () => {
    const prompt = 'Fine café';
    const { status, json } = await postJson(`${server.url}/v1/completions`, { prompt, max_tokens: 0, echo: true, logprobs: 2 });
    expect(status).toBe(200);
    const { text, logprobs, finish_reason } = json.choices[0] as { text: string; logprobs: WireLogprobs; finish_reason: string };
    expect(text).toBe(prompt);
    expect(finish_reason).toBe('length');
    expect(json.usage.completion_tokens).toBe(0);
    expectReference(logprobs, bytes(prompt), 1, 2);
    // "é" is two byte tokens, neither text on its own: shown as OpenAI shows them, both at the character's offset.
    expect(logprobs.tokens.slice(-2)).toEqual(['bytes:\\xc3', 'bytes:\\xa9']);
    expect(logprobs.text_offset.slice(-3)).toEqual([7, 8, 8]);
    expectOffsetsIndexText(logprobs, text);
  });

  it('returns prompt and continuation with the log-probabilities of both, streamed the same', async () => {
    const prompt = 'Echo this';
    const body = { prompt, max_tokens: 8, temperature: 0, echo: true, logprobs: 1 };
    const { json } = await postJson(`${server.url}/v1/completions`, body);
    const { text, logprobs } = json.choices[0] as { text: string; logprobs: WireLogprobs };
    expect(text.startsWith(prompt)).toBe(true);
    const ids = generatedIds(server, bytes(prompt)).at(-1)!;
    expectReference(logprobs, [...bytes(prompt), ...ids], 1, 1);
    expect(logprobs.text_offset[prompt.length]).toBe(prompt.length);
    const response = await fetch(`${server.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, stream: true }) });
    const chunks = sseData(await response.text()).filter((d) => d !== '[DONE]').map((d) => JSON.parse(d).choices[0] as { text: string; logprobs: WireLogprobs });
    expect(chunks[0].text).toBe(prompt);
    expect(chunks.map((c) => c.text).join('')).toBe(text);
    expect(chunks.flatMap((c) => c.logprobs.token_logprobs)).toEqual(logprobs.token_logprobs);
  });

  it('without logprobs returns the prompt and no numbers; max_tokens 0 is refused without echo', async () => {
    const { json } = await postJson(`${server.url}/v1/completions`, { prompt: 'Just text', max_tokens: 3, temperature: 0, echo: true });
    expect(json.choices[0].text.startsWith('Just text')).toBe(true);
    expect(json.choices[0].logprobs).toBeNull();
    const refused = await postJson(`${server.url}/v1/completions`, { prompt: 'x', max_tokens: 0 });
    expect(refused.status).toBe(400);
    expect(refused.json.error.param).toBe('max_tokens');
  });

  it('on a server graph exported before logits_positions: a clear 400 for scoring, everything else served', async () => {
    const refused = await postJson(`${oldGraph.url}/v1/completions`, { prompt: 'Score me', max_tokens: 0, echo: true, logprobs: 0 });
    expect(refused.status).toBe(400);
    expect(refused.json.error.param).toBe('echo');
    expect(refused.json.error.message).toMatch(/server_decoder\.onnx\) returns the last position's only; re-export the model/);
    const generated = await postJson(`${oldGraph.url}/v1/completions`, { prompt: 'Hello there', max_tokens: 6, temperature: 0, logprobs: 1, echo: true });
    expect(generated.status).toBe(400);
    const plain = await postJson(`${oldGraph.url}/v1/completions`, { prompt: 'Hello there', max_tokens: 6, temperature: 0, logprobs: 1 });
    expect(plain.status).toBe(200);
    const ids = generatedIds(oldGraph, bytes('Hello there')).at(-1)!;
    expectReference(plain.json.choices[0].logprobs, [...bytes('Hello there'), ...ids], bytes('Hello there').length, 1);
  });
});

describe('/v1/models', () => {
  it('carries the card\'s one-line description, the graph file and dtype served, and whether it can score prompts', async () => {
    const models = await (await fetch(`${server.url}/v1/models`)).json();
    expect(models.data[0]).toMatchObject({
      id: 'server',
      description: 'A tiny model that writes like nobody in particular.',
      graph: { file: 'server_decoder.onnx', dtype: 'fp32' },
      can_score_prompt: true,
    });
    const old = await (await fetch(`${oldGraph.url}/v1/models`)).json();
    expect(old.data[0]).toMatchObject({ id: 'server-last-only', graph: { file: 'server_decoder.onnx', dtype: 'fp32' }, can_score_prompt: false });
    expect(old.data[0].description).toMatch(/^A GPT-2 with 2 layers/); // the card writeModelFolder writes
  });
});
