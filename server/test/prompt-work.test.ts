/**
 * Tokenising a prompt is the one piece of per-request work on the HTTP side that grows with the input:
 * byte-level BPE on one long word costs ~10 µs per character. It runs on a thread of its own, so health
 * checks and other clients are answered while it works.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, postJson, startTestServer, writeTestModel, type TestServer } from './helpers.js';

let root: string;
let server: TestServer;

beforeAll(async () => {
  root = await makeTempDir();
  // A limit high enough that 60,000-character prompts are tokenised (15,000 tokens) and only then refused.
  server = await startTestServer(await writeTestModel(join(root, 'model')), { MAX_PROMPT_TOKENS: '8192', MAX_BODY_BYTES: '70000' });
});
afterAll(async () => {
  await server?.shutdown();
  await rm(root, { recursive: true, force: true });
});

describe('long prompts', () => {
  it('are tokenised off the event loop: /healthz answers before the first of two 60 KB one-word prompts does', async () => {
    const order: string[] = [];
    const heavy = Array.from({ length: 2 }, (_, i) =>
      postJson(`${server.url}/v1/completions`, { prompt: String.fromCharCode(97 + i).repeat(60_000) }).then((response) => {
        order.push(`prompt ${response.status}`);
        return response;
      }),
    );
    // Let the bodies reach the server first.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const health = fetch(`${server.url}/healthz`).then((response) => order.push(`healthz ${response.status}`));
    const answers = await Promise.all(heavy);
    await health;
    expect(order[0]).toBe('healthz 200');
    for (const { json } of answers) expect(json.error.message).toMatch(/tokens long; the limit is 8192 \(MAX_PROMPT_TOKENS\)/);
  });
});
