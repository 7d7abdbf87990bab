/**
 * The completion cache on the real server: a repeated greedy or seeded request is answered from the cache
 * without reaching the engine (the test server records every request the engine gets), with exactly the
 * answer the first request got, streamed or not; every setting that changes the output misses.
 */
import { rm } from 'node:fs/promises';
import { tinyTestModel } from '@mimicbot/training/testing';
import { writeLayoutModel } from '@mimicbot/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, postJson, sseData, startTestServer, type TestServer } from './helpers.js';

let root: string;
let modelDir: string;
let server: TestServer;

beforeAll(async () => {
  root = await makeTempDir();
  // The scaled tiny model: greedy text changes with the prompt and with every setting.
  modelDir = (await writeLayoutModel(root, 'server', tinyTestModel(9))).dir;
  server = await startTestServer(modelDir);
}, 60_000);
afterAll(async () => {
  await server?.shutdown();
  await rm(root, { recursive: true, force: true });
});

const completion = (body: object) => postJson(`${server.url}/v1/completions`, { model: 'bot', ...body });

/** The engine requests `act` caused. */
async function engineCalls(act: () => Promise<unknown>): Promise<number> {
  const before = server.results.length;
  await act();
  return server.results.length - before;
}

/** A completion's answer without what differs per response (id, created). */
function answer(json: { choices: unknown; usage: unknown; model: unknown }) {
  return { choices: json.choices, usage: json.usage, model: json.model };
}

async function streamed(body: object): Promise<object[]> {
  const response = await fetch(`${server.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'bot', ...body, stream: true }),
  });
  expect(response.status).toBe(200);
  return sseData(await response.text()).map((data) => {
    if (data === '[DONE]') return { done: true };
    const { id: _id, created: _created, ...rest } = JSON.parse(data);
    return rest;
  });
}

describe('the completion cache', () => {
  it('answers a repeated greedy request exactly as the first time, without touching the engine', async () => {
    const body = { prompt: 'The cat sat', max_tokens: 12, temperature: 0, n: 2, logprobs: 2 };
    let first: Awaited<ReturnType<typeof completion>> | undefined;
    expect(await engineCalls(async () => (first = await completion(body)))).toBe(2);
    let again: Awaited<ReturnType<typeof completion>> | undefined;
    expect(await engineCalls(async () => (again = await completion(body)))).toBe(0);
    expect(again!.status).toBe(200);
    expect(answer(again!.json)).toEqual(answer(first!.json));
    expect(again!.json.choices[0].text.length).toBeGreaterThan(0);
    expect(again!.json.id).not.toBe(first!.json.id);
  });

  it('replays a hit as a stream cut where the first stream was, and shares entries between streamed and plain requests', async () => {
    const body = { prompt: 'Hello there', max_tokens: 12, temperature: 0, logprobs: 1, stream_options: { include_usage: true } };
    let miss: object[] = [];
    expect(await engineCalls(async () => (miss = await streamed(body)))).toBe(1);
    let hit: object[] = [];
    expect(await engineCalls(async () => (hit = await streamed(body)))).toBe(0);
    expect(hit).toEqual(miss);
    expect(miss.length).toBeGreaterThan(4); // several text chunks, the finish, usage, [DONE]
    // The same request unstreamed is the same entry.
    let plain: Awaited<ReturnType<typeof completion>> | undefined;
    const { stream_options: _, ...unstreamed } = body;
    expect(await engineCalls(async () => (plain = await completion(unstreamed)))).toBe(0);
    const texts = miss.map((chunk) => (chunk as { choices?: { text: string }[] }).choices?.[0]?.text ?? '').join('');
    expect(plain!.json.choices[0].text).toBe(texts);
  });

  it('misses when any setting that changes the output changes', async () => {
    const base = { prompt: 'Once upon', max_tokens: 8, temperature: 0 };
    await completion(base);
    expect(await engineCalls(() => completion(base))).toBe(0);
    const variants: object[] = [
      { prompt: 'Once upon a' },
      { prompt: [[79, 110, 99, 101]] },
      { max_tokens: 9 },
      { temperature: 0.9, seed: 1 },
      { temperature: 0.9, seed: 2 },
      { temperature: 0.9, seed: 1, top_p: 0.5 },
      { temperature: 0.9, seed: 1, top_k: 3 },
      { repetition_penalty: 1.3 },
      { stop: ['e'] },
      { n: 2 },
      { logprobs: 0 },
      { echo: true },
      { seed: 4 },
    ];
    for (const variant of variants) {
      const body = { ...base, ...variant };
      const n = (variant as { n?: number }).n ?? 1;
      expect(await engineCalls(() => completion(body)), JSON.stringify(variant)).toBe(n);
      expect(await engineCalls(() => completion(body)), `${JSON.stringify(variant)} again`).toBe(0);
    }
    // The other API shapes its answer differently: its own entries.
    const gpt2 = { prompt: 'Once upon', length: 8, temperature: 0 };
    expect(await engineCalls(() => postJson(`${server.url}/`, gpt2))).toBe(1);
    expect(await engineCalls(() => postJson(`${server.url}/`, gpt2))).toBe(0);
    expect(await engineCalls(() => postJson(`${server.url}/`, { ...gpt2, include_prefix: false }))).toBe(1);
  });

  it('never caches a sampled request without a seed', async () => {
    const body = { prompt: 'Random', max_tokens: 8, temperature: 0.8 };
    expect(await engineCalls(() => completion(body))).toBe(1);
    expect(await engineCalls(() => completion(body))).toBe(1);
    expect(await engineCalls(() => postJson(`${server.url}/`, { prompt: 'Random', length: 8 }))).toBe(1);
    expect(await engineCalls(() => postJson(`${server.url}/`, { prompt: 'Random', length: 8 }))).toBe(1);
  });

  it('counts hits, misses, entries and bytes in /metrics', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const value = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1]);
    expect(value(/mimicbot_completion_cache_lookups_total\{model="server",result="hit"\} (\d+)/)).toBeGreaterThanOrEqual(17);
    expect(value(/mimicbot_completion_cache_lookups_total\{model="server",result="miss"\} (\d+)/)).toBeGreaterThanOrEqual(17);
    expect(value(/mimicbot_completion_cache_entries (\d+)/)).toBeGreaterThanOrEqual(17);
    expect(value(/mimicbot_completion_cache_bytes (\d+)/)).toBeGreaterThan(1000);
  });
});

describe('without the completion cache (CACHE_MAX_ENTRIES=0)', () => {
  it('sends every request to the engine', async () => {
    const uncached = await startTestServer(modelDir, { CACHE_MAX_ENTRIES: '0' });
    try {
      const before = uncached.results.length;
      for (let i = 0; i < 2; i++) await postJson(`${uncached.url}/v1/completions`, { prompt: 'x', max_tokens: 4, temperature: 0 });
      expect(uncached.results.length - before).toBe(2);
    } finally {
      await uncached.shutdown();
    }
  }, 60_000);
});
