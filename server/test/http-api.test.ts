import { request as httpRequest } from 'node:http';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, postJson, sseData, startTestServer, waitFor, writeTestModel, type TestServer } from './helpers.js';

let root: string;
let modelDir: string;
let server: TestServer;

beforeAll(async () => {
  root = await makeTempDir();
  modelDir = await writeTestModel(join(root, 'model'));
  server = await startTestServer(modelDir, { MAX_PROMPT_TOKENS: '64', MAX_NEW_TOKENS: '460', MAX_BODY_BYTES: '4096', MAX_COUNT: '16' });
});
afterAll(async () => {
  await server?.shutdown();
  await rm(root, { recursive: true, force: true });
});

const completion = (body: object) => postJson(`${server.url}/v1/completions`, { model: 'any', ...body });

describe('gpt-2-cloud-run API on /', () => {
  it('answers POST with {"text"} starting with the prompt, and GET with query-string fields the same', async () => {
    const post = await postJson(`${server.url}/`, { prompt: 'The cat', length: 8, temperature: 0 });
    expect(post.status).toBe(200);
    expect(Object.keys(post.json)).toEqual(['text']);
    expect(post.json.text.startsWith('The cat')).toBe(true);
    const get = await fetch(`${server.url}/?prompt=The%20cat&length=8&temperature=0`);
    expect(await get.json()).toEqual(post.json);
  });

  it('drops the prompt with include_prefix false and gives count samples in "texts"', async () => {
    const body = { prompt: 'The cat', length: 8, temperature: 0 };
    const withPrefix = await postJson(`${server.url}/`, body);
    const without = await postJson(`${server.url}/`, { ...body, include_prefix: 'false' });
    expect('The cat' + without.json.text).toBe(withPrefix.json.text.replace(/^\n+/, ''));
    const many = await postJson(`${server.url}/`, { ...body, count: 3, temperature: 1, seed: 5 });
    expect(many.json.texts).toHaveLength(3);
    expect(many.json.text).toBe(many.json.texts[0]);
    expect(new Set(many.json.texts).size).toBeGreaterThan(1);
  });

  it('cuts each sample at truncate', async () => {
    const full = (await postJson(`${server.url}/`, { prompt: 'a', length: 30, temperature: 0, include_prefix: false })).json.text as string;
    const delimiter = full.slice(5, 7);
    const cut = await postJson(`${server.url}/`, { prompt: 'a', length: 30, temperature: 0, include_prefix: false, truncate: delimiter });
    expect(cut.json.text).toBe(full.slice(0, full.indexOf(delimiter)).replace(/^\n+/, ''));
  });

  it('starts an empty prompt from <|endoftext|>', async () => {
    const response = await postJson(`${server.url}/`, { length: 5, temperature: 0 });
    expect(response.status).toBe(200);
    const last = server.results.at(-1);
    expect(last?.request.promptIds).toEqual([50256]);
  });

  it('refuses bad fields with 400 naming the field', async () => {
    for (const [body, field] of [
      [{ length: 'lots' }, 'length'],
      [{ length: 461 }, 'length'],
      [{ temperature: -1 }, 'temperature'],
      [{ count: 17 }, 'count'],
      [{ include_prefix: 'maybe' }, 'include_prefix'],
      [{ prompt: 42 }, 'prompt'],
      [{ top_k: 1.5 }, 'top_k'],
    ] as const) {
      const response = await postJson(`${server.url}/`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json.error.param).toBe(field);
    }
  });
});

describe('OpenAI API on /v1', () => {
  it('lists the model', async () => {
    const response = await fetch(`${server.url}/v1/models`);
    expect(await response.json()).toEqual({
      object: 'list',
      data: [
        {
          id: 'model',
          object: 'model',
          created: 0,
          owned_by: 'mimicbot',
          description: expect.stringMatching(/^Random weights \(seed 7\), untrained/) as string,
          graph: { file: 'server_decoder.onnx', dtype: 'fp32' },
          can_score_prompt: true,
        },
      ],
    });
  });

  it('completes with usage, finish_reason and one choice per prompt times n', async () => {
    const { status, json } = await completion({ prompt: ['Hello', 'Bye'], max_tokens: 6, temperature: 0, n: 2 });
    expect(status).toBe(200);
    expect(json.object).toBe('text_completion');
    expect(json.model).toBe('model');
    expect(json.choices.map((c: { index: number }) => c.index)).toEqual([0, 1, 2, 3]);
    expect(json.choices[0].text).toBe(json.choices[1].text); // greedy: n samples agree
    expect(json.choices[0].finish_reason).toBe('length');
    // 'Hello' is 1 token, 'Bye' 2; each prompt counts n times.
    expect(json.usage).toEqual({ prompt_tokens: 6, completion_tokens: 24, total_tokens: 30 });
  });

  it('gives the same text for the same seed, and different text for another', async () => {
    const body = { prompt: 'Seeded', max_tokens: 12, temperature: 1 };
    const a = await completion({ ...body, seed: 1 });
    const b = await completion({ ...body, seed: 1 });
    const c = await completion({ ...body, seed: 2 });
    expect(a.json.choices[0].text).toBe(b.json.choices[0].text);
    expect(a.json.choices[0].text).not.toBe(c.json.choices[0].text);
  });

  it('streams chunks that concatenate to the non-streamed text, ending in data: [DONE]', async () => {
    for (const body of [
      { prompt: 'Stream me', max_tokens: 40, temperature: 0 },
      { prompt: 'Stream me', max_tokens: 40, temperature: 0.9, seed: 3 },
    ]) {
      const whole = (await completion(body)).json.choices[0].text as string;
      const response = await fetch(`${server.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ ...body, stream: true }) });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = sseData(await response.text());
      expect(events.at(-1)).toBe('[DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
      expect(chunks.length).toBeGreaterThan(2);
      expect(chunks.map((c) => c.choices[0].text).join('')).toBe(whole);
      expect(chunks.at(-1).choices[0].finish_reason).toBe('length');
    }
  });

  it('sends a usage chunk when stream_options.include_usage is set', async () => {
    const response = await fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      body: JSON.stringify({ prompt: 'x', max_tokens: 3, stream: true, stream_options: { include_usage: true } }),
    });
    const events = sseData(await response.text());
    expect(JSON.parse(events.at(-2) as string)).toMatchObject({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 3 } });
  });

  it('stops at a stop sequence and reports finish_reason stop', async () => {
    const full = (await completion({ prompt: 'Stop', max_tokens: 30, temperature: 0 })).json.choices[0].text as string;
    const stop = full.slice(8, 10);
    const { json } = await completion({ prompt: 'Stop', max_tokens: 30, temperature: 0, stop: [stop] });
    expect(json.choices[0].text).toBe(full.slice(0, full.indexOf(stop)));
    expect(json.choices[0].finish_reason).toBe('stop');
  });

  it('accepts token-id prompts', async () => {
    const { status, json } = await completion({ prompt: [15496, 995], max_tokens: 2 });
    expect(status).toBe(200);
    expect(json.usage.prompt_tokens).toBe(2);
  });

  it("answers bad input with 400 and OpenAI's error shape naming the field", async () => {
    for (const [body, field] of [
      [{ max_tokens: 'ten' }, 'max_tokens'],
      [{ max_tokens: 461 }, 'max_tokens'],
      [{ temperature: 3 }, 'temperature'],
      [{ n: 0 }, 'n'],
      [{ n: 9, prompt: ['a', 'b'] }, 'n'],
      [{ stop: [1] }, 'stop'],
      [{ stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
      [{ prompt: { text: 'hi' } }, 'prompt'],
      [{ prompt: [] }, 'prompt'],
      [{ prompt: [99999] }, 'prompt'],
      [{ prompt: 'word '.repeat(65) }, 'prompt'],
      [{ stream: 'yes' }, 'stream'],
      [{ seed: 1.5 }, 'seed'],
      [{ logprobs: 6 }, 'logprobs'],
      [{ logprobs: true }, 'logprobs'],
      [{ max_tokens: 0 }, 'max_tokens'],
      [{ echo: 'yes' }, 'echo'],
      [{ model: 5 }, 'model'],
    ] as [object, string][]) {
      const { status, json } = await completion(body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.error, JSON.stringify(body)).toMatchObject({ type: 'invalid_request_error', param: field });
      expect(json.error.message).toContain(field);
    }
  });

  it('refuses a prompt plus max_tokens longer than the model context, naming max_tokens', async () => {
    const { status, json } = await completion({ prompt: 'word '.repeat(60), max_tokens: 460 });
    expect(status).toBe(400);
    expect(json.error.param).toBe('max_tokens');
    expect(json.error.message).toMatch(/context of 512 tokens/);
  });

  it('refuses malformed JSON, non-object JSON and oversized bodies', async () => {
    const bad = await postJson(`${server.url}/v1/completions`, '{"prompt": ');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ param: 'body', type: 'invalid_request_error' });
    expect((await postJson(`${server.url}/v1/completions`, '[1,2]')).json.error.param).toBe('body');
    expect((await postJson(`${server.url}/`, 'nope')).json.error.param).toBe('body');
    const big = await postJson(`${server.url}/v1/completions`, { prompt: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.json.error.param).toBe('body');
  });

  it('refuses a chunked body over the limit even without Content-Length', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v1/completions`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"prompt": "');
      req.write('y'.repeat(5000));
      req.end('"}');
    });
    expect(status).toBe(413);
  });

  it('answers unknown routes with 404 JSON', async () => {
    const response = await fetch(`${server.url}/v2/nothing`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });

  it('answers a wrong method with 405 JSON and an Allow header listing the right ones', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/v1/completions', 'POST'],
      ['GET', '/v1/completions', 'POST'],
      ['DELETE', '/', 'GET, HEAD, POST'],
      ['POST', '/healthz', 'GET, HEAD'],
    ]) {
      const response = await fetch(`${server.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow'), `${method} ${path}`).toBe(allow);
      expect((await response.json()).error.code).toBe('method_not_allowed');
    }
  });

  it('refuses a prompt far longer than MAX_PROMPT_TOKENS allows by its characters, before tokenising it', async () => {
    // 64 tokens allowed: 8 characters per token is 512 characters; 513 in a body under MAX_BODY_BYTES.
    for (const [path, body] of [
      ['/v1/completions', { prompt: 'a'.repeat(513) }],
      ['/', { prompt: 'a'.repeat(513) }],
      ['/v1/completions', { prompt: ['short', 'b'.repeat(513)] }],
    ] as const) {
      const { status, json } = await postJson(`${server.url}${path}`, body);
      expect(status, path).toBe(400);
      expect(json.error.message, path).toMatch(/is 513 characters long; the limit is 512 \(8 × MAX_PROMPT_TOKENS\)/);
    }
  });
});

describe('hostile input', () => {
  it('answers every odd body with a 4xx JSON error and keeps serving', async () => {
    const bodies = [
      '{"prompt": "\\ud800", "max_tokens": 2}',
      '{"max_tokens": 1e308}',
      '{"n": -0.5}',
      '{"stop": [""]}',
      '{"prompt": [[]]}',
      '{"prompt": [[1, "a"]]}',
      '{"__proto__": {"max_tokens": 5}, "constructor": 1}',
      '{"stream_options": "yes", "stream": true}',
      '{"temperature": "NaN"}',
      '{"seed": 1e300}',
      '{"logit_bias": {"1": 5}}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      '\u0000\u0001',
      'null',
      '"a string"',
    ];
    // On `/` the same bodies with a short `length`, so valid ones do not generate MAX_NEW_TOKENS tokens.
    const short = (body: string) => (/^\{"/.test(body) ? body.replace(/^\{/, '{"length": 2, ') : body);
    for (const body of bodies) {
      for (const [path, sent] of [['/', short(body)], ['/v1/completions', body]]) {
        const response = await fetch(`${server.url}${path}`, { method: 'POST', body: sent, headers: { 'content-type': 'text/plain' } });
        expect(response.status, `${path} ${body.slice(0, 40)}`).toBeLessThan(500);
        const json = await response.json();
        if (response.status >= 400) expect(json.error.message, body.slice(0, 40)).toBeTypeOf('string');
      }
    }
    const odd = await fetch(`${server.url}/?length=abc&count=2&top_p=2`);
    expect(odd.status).toBe(400);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('batching through HTTP', () => {
  it('gives 16 concurrent greedy requests each its solo text', async () => {
    const prompts = Array.from({ length: 16 }, (_, i) => `Prompt number ${i}${' again'.repeat(i % 5)}`);
    const body = (prompt: string, i: number) => ({ prompt, max_tokens: 8 + (i % 4) * 6, temperature: 0 });
    const solo: string[] = [];
    for (const [i, prompt] of prompts.entries()) solo.push((await completion(body(prompt, i))).json.choices[0].text);
    const together = await Promise.all(prompts.map((prompt, i) => completion(body(prompt, i))));
    expect(together.map((r) => r.json.choices[0].text)).toEqual(solo);
  });
});

describe('a client that disconnects', () => {
  it('mid-stream: its sequence is aborted long before max_tokens', async () => {
    const before = server.results.length;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.end(JSON.stringify({ prompt: 'Long story', max_tokens: 400, temperature: 0, stream: true }));
      setTimeout(() => reject(new Error('no first chunk')), 20_000);
    });
    await waitFor(() => server.results.length > before);
    const { result } = server.results.at(-1)!;
    expect(result.finishReason).toBe('aborted');
    expect(result.tokenIds.length).toBeLessThan(400);
    await waitFor(() => server.engine.stats().activeSequences === 0);
  });

  it('before the response: the request is aborted too', async () => {
    const before = server.results.length;
    const controller = new AbortController();
    const pending = fetch(`${server.url}/`, { method: 'POST', body: JSON.stringify({ prompt: 'x', length: 400, temperature: 0 }), signal: controller.signal });
    await waitFor(() => server.engine.stats().activeSequences > 0 || server.results.length > before);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => server.results.length > before);
    expect(server.results.at(-1)!.result.finishReason).toBe('aborted');
  });
});

describe('health and metrics', () => {
  it('is alive and ready', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('exports request, latency, time-to-first-token, token, queue and batch metrics', async () => {
    await completion({ prompt: 'm', max_tokens: 3 });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/mimicbot_http_requests_total\{route="\/v1\/completions",model="[^"]+",method="POST",status="200"\} \d+/);
    expect(text).toMatch(/mimicbot_http_requests_total\{route="\/v1\/completions",(model="[^"]+",)?method="POST",status="400"\} \d+/);
    expect(text).toMatch(/mimicbot_http_request_duration_seconds_bucket\{le="0.5",route="\/v1\/completions",model="[^"]+"\}/);
    expect(text).toMatch(/mimicbot_time_to_first_token_seconds_count\{route="\/v1\/completions",model="[^"]+"\} [1-9]/);
    expect(text).toMatch(/mimicbot_tokens_generated_total\{route="\/v1\/completions",model="[^"]+"\} [1-9]/);
    expect(text).toMatch(/mimicbot_queue_depth\{model="[^"]+"\} 0/);
    expect(text).toMatch(/mimicbot_batch_size\{model="[^"]+"\} \d+/);
  });
});
