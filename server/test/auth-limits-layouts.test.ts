import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, postJson, testServers, waitFor, writeTestModel, type TestServer } from './helpers.js';

let root: string;
let modelDir: string;
const servers = testServers();

beforeAll(async () => {
  root = await makeTempDir();
  modelDir = await writeTestModel(join(root, 'model'));
});
afterAll(async () => {
  await servers.shutdown();
  await rm(root, { recursive: true, force: true });
});

const { start } = servers;

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

describe('one caller secret, on every route but the health checks', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start(modelDir, { REQUEST_TOKEN: 'req-secret', API_KEYS: 'key-one, key-two' });
  });

  it('refuses / without an accepted secret (401 naming token), and takes it as the token field or as a Bearer token', async () => {
    const missing = await postJson(`${server.url}/`, { length: 2 });
    expect(missing.status).toBe(401);
    expect(missing.json.error.param).toBe('token');
    const wrong = await postJson(`${server.url}/`, { length: 2, token: 'req-secreT' });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.json)).not.toContain('req-secret');
    for (const secret of ['req-secret', 'key-one', 'key-two']) {
      expect((await postJson(`${server.url}/`, { length: 2, token: secret })).status, secret).toBe(200);
      expect((await postJson(`${server.url}/`, { length: 2 }, bearer(secret))).status, secret).toBe(200);
    }
    expect((await fetch(`${server.url}/?length=2&token=req-secret`)).status).toBe(200);
    expect((await fetch(`${server.url}/?length=2`, { headers: bearer('key-two') })).status).toBe(200);
  });

  it('requires Authorization: Bearer with REQUEST_TOKEN or one of API_KEYS on /v1', async () => {
    const body = { prompt: 'x', max_tokens: 2 };
    expect((await postJson(`${server.url}/v1/completions`, body)).status).toBe(401);
    const wrong = await postJson(`${server.url}/v1/completions`, body, bearer('key-three'));
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key', param: 'authorization' });
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect((await postJson(`${server.url}/v1/completions`, body, bearer('key-two'))).status).toBe(200);
    expect((await postJson(`${server.url}/v1/completions`, body, bearer('req-secret'))).status).toBe(200);
    // The token field is gpt-2-cloud-run's; /v1 does not read it.
    expect((await postJson(`${server.url}/v1/completions`, { ...body, token: 'key-one' })).status).toBe(401);
    expect((await fetch(`${server.url}/v1/models`)).status).toBe(401);
    expect((await fetch(`${server.url}/v1/models`, { headers: bearer('req-secret') })).status).toBe(200);
  });

  it('requires it on /metrics and on unknown routes too, and keeps /healthz and /readyz open', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: bearer('key-one') })).status).toBe(200);
    expect((await fetch(`${server.url}/admin`)).status).toBe(401);
    expect((await fetch(`${server.url}/admin`, { headers: bearer('key-one') })).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('closes / when only API_KEYS is set (the README’s deployment)', async () => {
    const keysOnly = await start(modelDir, { API_KEYS: 'only-key' });
    expect((await fetch(`${keysOnly.url}/?prompt=hi&length=2`)).status).toBe(401);
    expect((await postJson(`${keysOnly.url}/`, { prompt: 'hi', length: 2 })).status).toBe(401);
    expect((await fetch(`${keysOnly.url}/?prompt=hi&length=2`, { headers: bearer('only-key') })).status).toBe(200);
    expect((await postJson(`${keysOnly.url}/`, { prompt: 'hi', length: 2, token: 'only-key' })).status).toBe(200);
  });
});

describe('overload and deadlines', () => {
  it('answers 429 with a Retry-After that reflects the backlog, not always 1', async () => {
    const server = await start(modelDir, { MAX_BATCH: '1', QUEUE_SIZE: '16', MAX_NEW_TOKENS: '500', REQUEST_TIMEOUT_MS: '120000' });
    const requests = new AbortController();
    const send = (prompt: string) =>
      fetch(`${server.url}/v1/completions`, {
        method: 'POST',
        body: JSON.stringify({ prompt, max_tokens: 500, temperature: 0, stream: true }),
        signal: requests.signal,
      }).catch(() => undefined);
    try {
      // One sequence running long enough to measure the rate, sixteen more queued behind it.
      const running = await send('first');
      const reader = running!.body!.getReader();
      // 50 tokens in (one SSE event each; a read may carry several, as the engine sends a stream's tokens in groups).
      const text = new TextDecoder();
      for (let events = 0; events < 50; ) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the running stream ended before 50 tokens');
        events += text.decode(value, { stream: true }).split('data: ').length - 1;
      }
      const queued = Array.from({ length: 16 }, (_, i) => send(`queued ${i}`));
      await waitFor(() => server.engine.stats().queueDepth === 16);
      const refused = await postJson(`${server.url}/v1/completions`, { prompt: 'one more', max_tokens: 2 });
      expect(refused.status).toBe(429);
      expect(refused.json.error.code).toBe('queue_full');
      // ~8,000 tokens owed: at least two seconds even on a fast machine, at most REQUEST_TIMEOUT_MS.
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(2);
      expect(retryAfter).toBeLessThanOrEqual(120);
      void queued;
    } finally {
      requests.abort();
    }
    await waitFor(() => server.engine.stats().queueDepth === 0 && server.engine.stats().activeSequences === 0, 30_000);
  });

  it('answers 504 past REQUEST_TIMEOUT_MS and frees the slot', async () => {
    const server = await start(modelDir, { MAX_BATCH: '1', REQUEST_TIMEOUT_MS: '250', MAX_NEW_TOKENS: '460' });
    const timedOut = await postJson(`${server.url}/v1/completions`, { prompt: 'long', max_tokens: 460, temperature: 0 });
    expect(timedOut.status).toBe(504);
    expect(timedOut.json.error.message).toContain('REQUEST_TIMEOUT_MS');
    await waitFor(() => server.engine.stats().activeSequences === 0);
  });
});

describe('defaults that fit the served model', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The default model's situation: MAX_NEW_TOKENS (256) as large as the model's whole context.
    const small = await writeTestModel(join(root, 'small-context'), { config: { nPositions: 64 } });
    server = await start(small, { MAX_NEW_TOKENS: '64' });
  });

  it('serves / without a length, generating up to the room the prompt leaves', async () => {
    const response = await postJson(`${server.url}/`, { prompt: 'Hello there', temperature: 0 });
    expect(response.status).toBe(200);
    expect(server.results.at(-1)!.request.maxNewTokens).toBe(64 - 2);
  });

  it('clamps an explicit length to that room too, as gpt-2-simple did', async () => {
    const response = await fetch(`${server.url}/?prompt=Hello%20there&length=64&temperature=0`);
    expect(response.status).toBe(200);
    expect(server.results.at(-1)!.request.maxNewTokens).toBe(62);
  });

  it('on /v1 fits the default max_tokens to the room, but refuses an explicit one that does not fit', async () => {
    const prompt = Array.from({ length: 60 }, () => 15496); // 60 tokens: room for 4
    const fitted = await postJson(`${server.url}/v1/completions`, { prompt, temperature: 0 });
    expect(fitted.status).toBe(200);
    expect(fitted.json.usage.completion_tokens).toBeLessThanOrEqual(4);
    expect(server.results.at(-1)!.request.maxNewTokens).toBe(4);
    const refused = await postJson(`${server.url}/v1/completions`, { prompt, max_tokens: 5 });
    expect(refused.status).toBe(400);
    expect(refused.json.error.param).toBe('max_tokens');
    expect(refused.json.error.message).toMatch(/at most 4 fit/);
  });

  it('refuses a prompt that leaves no room at all, naming prompt', async () => {
    const full = await postJson(`${server.url}/v1/completions`, { prompt: Array.from({ length: 64 }, () => 15496) });
    expect(full.status).toBe(400);
    expect(full.json.error.param).toBe('prompt');
  });
});

describe('model folder layouts', () => {
  it('serves a transformers.js folder (onnx/model.onnx only) on the server graph built from it, with the same greedy text', async () => {
    const tjsDir = await writeTestModel(join(root, 'transformersjs'), { serverDecoder: false });
    await unlink(join(tjsDir, 'model.onnx'));
    const ours = await start(modelDir);
    const tjs = await start(tjsDir);
    // The fast path (test/fast-path.test.ts) built it from onnx/model.onnx at start-up.
    expect(tjs.engine.model.graphFile).toBe(join(tjsDir, 'server_decoder.onnx'));
    const body = { prompt: 'Same weights, same words', max_tokens: 24, temperature: 0 };
    const a = await postJson(`${ours.url}/v1/completions`, body);
    const b = await postJson(`${tjs.url}/v1/completions`, body);
    expect(b.status).toBe(200);
    expect(b.json.choices[0].text).toBe(a.json.choices[0].text);
  });
});
