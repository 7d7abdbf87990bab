/** The shared client against the real mimicbot server (tiny random model, 127.0.0.1): the wire really matches. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRejectedError } from '../src/errors.js';
import { createModelClient, type RetryInfo, type StreamDelta } from '../src/model-client.js';
import { startTinyModelServer, type RunningModelServer } from '../src/testing/index.js';

// API keys required; one sequence at a time and no queue, so a second concurrent caller gets 429.
let server: RunningModelServer;

beforeAll(async () => {
  server = await startTinyModelServer({ API_KEYS: 'key-one,key-two', MAX_BATCH: '1', QUEUE_SIZE: '0' });
}, 120_000);
afterAll(() => server?.stop());

const client = (extra: Partial<Parameters<typeof createModelClient>[0]> = {}) =>
  createModelClient({ endpoint: server.url, requestToken: 'key-one', timeoutMs: 20_000, retries: 2, ...extra });

describe('the model client against the mimicbot server', () => {
  it('completes, with usage, and repeats itself for the same seed', async () => {
    const a = await client().complete({ prompt: 'The weather today', maxTokens: 8, temperature: 1, seed: 11 });
    const b = await client().complete({ prompt: 'The weather today', maxTokens: 8, temperature: 1, seed: 11 });
    expect(a.text.length).toBeGreaterThan(0);
    expect(a.text).toBe(b.text);
    expect(a.usage?.completionTokens).toBeLessThanOrEqual(8);
    expect(a.usage?.totalTokens).toBe((a.usage?.promptTokens ?? 0) + (a.usage?.completionTokens ?? 0));
    expect(['stop', 'length']).toContain(a.choices[0].finishReason);
  });

  it('streams the same text the non-streaming call returns for that seed', async () => {
    const request = { prompt: 'Once upon a time', maxTokens: 12, temperature: 1, seed: 5 };
    const whole = await client().complete(request);
    const deltas: StreamDelta[] = [];
    for await (const delta of client().stream(request)) deltas.push(delta);
    expect(deltas.filter((d) => d.text !== '').length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.text).join('')).toBe(whole.text);
    // The finish reason comes once, on the last piece, and is the one the whole completion reports.
    expect(deltas.map((d) => d.finishReason).filter((r) => r !== null)).toEqual([whole.choices[0].finishReason]);
    expect(deltas.at(-1)!.finishReason).toBe(whole.choices[0].finishReason);
  });

  it('sends REQUEST_TOKEN as the API key, and reports a wrong one as a 401 rejection', async () => {
    expect((await client({ requestToken: 'key-two' }).complete({ prompt: 'hi', maxTokens: 3 })).text).toBeTypeOf('string');
    const error = await client({ requestToken: 'wrong' }).complete({ prompt: 'hi', maxTokens: 3 }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelRejectedError);
    expect(error.status).toBe(401);
  });

  it("reports the server's 400 with the field it names", async () => {
    const error = await client().complete({ prompt: 'hi', maxTokens: server.contextLength * 2 }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelRejectedError);
    expect(error).toMatchObject({ status: 400, param: 'max_tokens' });
  });

  it('rides out 429s from a full server by retrying after Retry-After', async () => {
    const retries: RetryInfo[] = [];
    // Up to 12 s of waiting (40 x 300 ms): enough for four requests served one at a time on a loaded machine.
    const busy = client({ retries: 40, backoff: { maxDelayMs: 300 }, onRetry: (info) => retries.push(info) });
    const results = await Promise.all([1, 2, 3, 4].map((seed) => busy.complete({ prompt: 'Busy', maxTokens: 30, temperature: 1, seed })));
    expect(results.every((r) => typeof r.text === 'string')).toBe(true);
    expect(retries.some((r) => r.reason === '429')).toBe(true);
  });
});
