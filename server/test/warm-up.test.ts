/**
 * The server's warm-up (src/warm-up.ts): before startMimicbotServer returns, the server sends itself a
 * streamed and a plain completion per model through its own socket, says "warming up" on /readyz meanwhile,
 * and keeps nothing of them in the completion cache. A refused warm-up request is logged, not fatal.
 * Real servers on 127.0.0.1, a tiny real model.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { parseConfig } from '../src/config.js';
import type { OnnxEngine } from '../src/engine/engine.js';
import type { TokenRequest } from '../src/engine/types.js';
import { startMimicbotServer, type RunningServer } from '../src/start-server.js';
import { makeTempDir, writeTestModel } from './helpers.js';

let root: string;
let modelDir: string;
/** A context of 8 positions: no room for the warm-up's 32 (or 8) new tokens after its prompt. */
let shortModelDir: string;
const started: RunningServer[] = [];

beforeAll(async () => {
  root = await makeTempDir();
  modelDir = await writeTestModel(join(root, 'bot'));
  shortModelDir = await writeTestModel(join(root, 'short'), { config: { nPositions: 8 } });
});
afterAll(async () => {
  await Promise.all(started.map((s) => s.shutdown()));
  await rm(root, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a warming server, recording each engine request and what /readyz said while it ran. */
async function startWarming(env: Record<string, string>, dir = modelDir) {
  const port = await freePort();
  const requests: TokenRequest[] = [];
  const readyDuring: { status: number; body: unknown }[] = [];
  const errors: string[] = [];
  const observe = (engine: OnnxEngine): OnnxEngine => ({
    ...engine,
    async generate(request) {
      requests.push(request);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      readyDuring.push({ status: ready.status, body: await ready.json() });
      return engine.generate(request);
    },
  });
  const config = parseConfig({ PORT: String(port), MODEL_DIR: dir, THREADS: '1', ...env });
  const server = await startMimicbotServer(config, { host: '127.0.0.1', wrapEngine: observe, logError: (line) => errors.push(line), warmUp: true });
  started.push(server);
  return { server, requests, readyDuring, errors };
}

const metric = async (url: string, name: string): Promise<string[]> =>
  (await (await fetch(`${url}/metrics`)).text()).split('\n').filter((line) => line.startsWith(name));

describe('warm-up', () => {
  it('sends a streamed and a plain sampled completion through the socket before returning, with /readyz 503 meanwhile', async () => {
    const { server, requests, readyDuring, errors } = await startWarming({});
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => r.maxNewTokens)).toEqual([32, 8]);
    // Sampled without a seed: nothing a later request could be answered from.
    for (const r of requests) expect(r.sampling).toMatchObject({ temperature: 1, seed: undefined });
    expect(readyDuring).toEqual([
      { status: 503, body: { status: 'warming up' } },
      { status: 503, body: { status: 'warming up' } },
    ]);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    // Both went through the HTTP layer (and so count as requests), and the cache holds nothing.
    expect(await metric(server.url, 'mimicbot_http_requests_total{route="/v1/completions"')).toEqual([expect.stringMatching(/status="200"\} 2$/)]);
    expect(await metric(server.url, 'mimicbot_completion_cache_entries ')).toEqual(['mimicbot_completion_cache_entries 0']);
  });

  it('presents a key the server accepts when auth is on, and asks for no more than MAX_NEW_TOKENS', async () => {
    const { requests, errors } = await startWarming({ API_KEYS: 'k1,k2', REQUEST_TOKEN: 'tok', MAX_NEW_TOKENS: '4' });
    expect(errors).toEqual([]);
    expect(requests.map((r) => r.maxNewTokens)).toEqual([4, 4]);
  });

  it('logs a refused warm-up request with its status and still starts', async () => {
    const { server, requests, errors } = await startWarming({}, shortModelDir);
    expect(requests).toEqual([]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^short: warm-up streamed completion answered 400: .*max_tokens/);
    expect(errors[1]).toMatch(/^short: warm-up completion answered 400: .*max_tokens/);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
