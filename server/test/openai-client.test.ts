import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, startTestServer, writeTestModel, type TestServer } from './helpers.js';

let root: string;
let server: TestServer;
let client: OpenAI;

beforeAll(async () => {
  root = await makeTempDir();
  server = await startTestServer(await writeTestModel(join(root, 'model')), { API_KEYS: 'sk-test' });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
});
afterAll(async () => {
  await server?.shutdown();
  await rm(root, { recursive: true, force: true });
});

describe('the official openai client, unchanged', () => {
  it('lists models and creates a completion', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['model']);
    const completion = await client.completions.create({ model: 'model', prompt: 'Hello there', max_tokens: 10, temperature: 0 });
    expect(completion.choices[0].finish_reason).toBe('length');
    expect(completion.choices[0].text.length).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBe(10);
  });

  it('streams, and the streamed text equals the non-streamed text', async () => {
    const params = { model: 'model', prompt: 'Hello there', max_tokens: 30, temperature: 0.8, seed: 11 };
    const whole = await client.completions.create(params);
    const stream = await client.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.Completions.CompletionUsage | undefined;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        text += choice.text;
        finish = choice.finish_reason ?? finish;
      }
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(whole.choices[0].text);
    expect(finish).toBe('length');
    expect(usage?.completion_tokens).toBe(30);
  });

  it('reads logprobs and echo, plain and streamed', async () => {
    const scored = await client.completions.create({ model: 'model', prompt: 'How likely is this?', max_tokens: 0, echo: true, logprobs: 2 });
    const lp = scored.choices[0].logprobs!;
    expect(scored.choices[0].text).toBe('How likely is this?');
    expect(lp.tokens!.join('')).toBe('How likely is this?');
    expect(lp.token_logprobs![0]).toBeNull();
    expect(lp.token_logprobs!.slice(1).every((x) => x !== null && x < 0)).toBe(true);
    expect(lp.text_offset).toEqual(lp.tokens!.map((_, i) => lp.tokens!.slice(0, i).join('').length));
    expect(Object.keys(lp.top_logprobs![1]!).length).toBeGreaterThanOrEqual(2);

    const params = { model: 'model', prompt: 'Hello there', max_tokens: 8, temperature: 0.8, seed: 4, logprobs: 1 } as const;
    const whole = await client.completions.create(params);
    const stream = await client.completions.create({ ...params, stream: true });
    const streamed: (number | null)[] = [];
    for await (const chunk of stream) for (const choice of chunk.choices) streamed.push(...(choice.logprobs?.token_logprobs ?? []));
    expect(whole.choices[0].logprobs!.token_logprobs).toHaveLength(8);
    expect(streamed).toEqual(whole.choices[0].logprobs!.token_logprobs);
  });

  it('surfaces our errors as the client\'s typed errors', async () => {
    await expect(client.completions.create({ model: 'model', prompt: 'x', max_tokens: 100_000 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const wrongKey = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(wrongKey.completions.create({ model: 'model', prompt: 'x' })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
