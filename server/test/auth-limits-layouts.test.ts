import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, postJson, startTestServer, writeTestModel, type TestServer } from './helpers.js';

let root: string;
let modelDir: string;
const servers: TestServer[] = [];

beforeAll(async () => {
  root = await makeTempDir();
  modelDir = await writeTestModel(join(root, 'model'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.shutdown()));
  await rm(root, { recursive: true, force: true });
});

async function start(dir: string, env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer(dir, env);
  servers.push(server);
  return server;
}

describe('auth', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start(modelDir, { REQUEST_TOKEN: 'millz-secret', API_KEYS: 'key-one, key-two' });
  });

  it('refuses / without the right token (401 naming token) and serves it with the token', async () => {
    const missing = await postJson(`${server.url}/`, { length: 2 });
    expect(missing.status).toBe(401);
    expect(missing.json.error.param).toBe('token');
    const wrong = await postJson(`${server.url}/`, { length: 2, token: 'millz-secreT' });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.json)).not.toContain('millz-secret');
    expect((await postJson(`${server.url}/`, { length: 2, token: 'millz-secret' })).status).toBe(200);
    expect((await fetch(`${server.url}/?length=2&token=millz-secret`)).status).toBe(200);
  });

  it('requires Authorization: Bearer with one of API_KEYS on /v1', async () => {
    const body = { prompt: 'x', max_tokens: 2 };
    expect((await postJson(`${server.url}/v1/completions`, body)).status).toBe(401);
    const wrong = await postJson(`${server.url}/v1/completions`, body, { authorization: 'Bearer key-three' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect((await postJson(`${server.url}/v1/completions`, body, { authorization: 'Bearer key-two' })).status).toBe(200);
    expect((await fetch(`${server.url}/v1/models`)).status).toBe(401);
    expect((await fetch(`${server.url}/v1/models`, { headers: { authorization: 'Bearer key-one' } })).status).toBe(200);
  });

  it('keeps health checks open', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});

describe('overload and deadlines', () => {
  it('answers 429 with Retry-After when the queue is full, and 504 past REQUEST_TIMEOUT_MS', async () => {
    const server = await start(modelDir, { MAX_BATCH: '1', QUEUE_SIZE: '0', REQUEST_TIMEOUT_MS: '250', MAX_NEW_TOKENS: '460' });
    const long = postJson(`${server.url}/v1/completions`, { prompt: 'long', max_tokens: 460, temperature: 0 });
    const deadline = Date.now() + 5_000;
    while (server.engine.stats().activeSequences === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const refused = await postJson(`${server.url}/v1/completions`, { prompt: 'more', max_tokens: 2 });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.json.error.code).toBe('queue_full');
    const timedOut = await long;
    expect(timedOut.status).toBe(504);
    expect(timedOut.json.error.message).toContain('REQUEST_TIMEOUT_MS');
    // The slot is free again.
    expect((await postJson(`${server.url}/v1/completions`, { prompt: 'again', max_tokens: 2 })).status).toBe(200);
  });
});

describe('model folder layouts', () => {
  it("loads a transformers.js folder (onnx/model.onnx only) unchanged and gives the same greedy text", async () => {
    const tjsDir = await writeTestModel(join(root, 'transformersjs'), { serverDecoder: false });
    await unlink(join(tjsDir, 'model.onnx'));
    const ours = await start(modelDir);
    const tjs = await start(tjsDir);
    expect(tjs.engine.model.graphFile.endsWith(join('onnx', 'model.onnx'))).toBe(true);
    const body = { prompt: 'Same weights, same words', max_tokens: 24, temperature: 0 };
    const a = await postJson(`${ours.url}/v1/completions`, body);
    const b = await postJson(`${tjs.url}/v1/completions`, body);
    expect(b.status).toBe(200);
    expect(b.json.choices[0].text).toBe(a.json.choices[0].text);
  });
});
