/**
 * The demo function end to end: the real functions-framework on a real socket, the shared model client
 * calling the model server (JSON and SSE), the rate limit on memory and on a real redis-server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startRedisServer, startStandInModel, tinyModelServerForSuite } from '@mimicbot/functions-shared/testing';
import { runFunction, type RunningFunction } from '../../twitter/test/run-function.js';
import { parseConfig } from '../src/config.js';
import { demoDepsFromConfig } from '../src/from-config.js';
import { createDemoHandler } from '../src/handler.js';

const model = tinyModelServerForSuite({}, { seed: 7 });
const running: RunningFunction[] = [];
let logs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((fn) => fn.stop()));
  logs = [];
});

async function start(env: Record<string, string> = {}, modelUrl = model.url): Promise<string> {
  const config = parseConfig({ MODEL_ENDPOINT: modelUrl, MODEL_RETRIES: '0', MAX_TOKENS: '8', ...env });
  const deps = { ...demoDepsFromConfig(config), log: (event: string, fields = {}) => void logs.push(JSON.stringify({ event, ...fields })) };
  const fn = await runFunction(createDemoHandler(deps));
  running.push(fn);
  return fn.url;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Reads an SSE body into its events, in order. */
async function readEvents(response: Response): Promise<{ event: string; data: { text?: string; message?: string } }[]> {
  const raw = await response.text();
  return raw
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}');
      return { event, data };
    });
}

describe('the demo function', () => {
  it('serves the page and its script, and 404s other assets', async () => {
    const url = await start();
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<label for="prompt">');
    expect(html).toContain('aria-live="polite"');
    const script = await fetch(`${url}/demo?asset=demo.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('text/event-stream');
    const missing = await fetch(`${url}/?asset=secrets.txt`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { field: 'asset' } });
  });

  it('answers POST {prompt} with generated, cleaned text', async () => {
    const url = await start();
    const response = await post(url, { prompt: 'The best thing about Mondays is' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(typeof body.text).toBe('string');
    expect(body.text).not.toContain('<|endoftext|>');
    expect(body.text).toBe(body.text.trim());
  });

  it('streams the reply as several delta events, then done with the whole text', async () => {
    const url = await start({ MAX_TOKENS: '12' });
    const response = await post(url, { prompt: 'hello' }, { accept: 'text/event-stream' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readEvents(response);
    const deltas = events.filter((e) => e.event === 'delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.at(-1)!.event).toBe('done');
    expect(deltas.map((e) => e.data.text).join('')).toBe(events.at(-1)!.data.text);
  });

  it('refuses bad prompts with 400 naming the field, and non-JSON with 415', async () => {
    const url = await start({ PROMPT_MAX_CHARS: '20' });
    const long = await post(url, { prompt: 'x'.repeat(21) });
    expect(long.status).toBe(400);
    expect(await long.json()).toEqual({ error: { message: 'prompt is 21 characters; the most is 20', field: 'prompt' } });
    const control = await post(url, { prompt: 'hi\u0007' });
    expect(control.status).toBe(400);
    expect(await control.json()).toMatchObject({ error: { field: 'prompt', message: expect.stringContaining('U+0007') } });
    const notString = await post(url, { prompt: ['a'] });
    expect(await notString.json()).toMatchObject({ error: { field: 'prompt' } });
    const text = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: { field: 'content-type' } });
  });

  it('allows CORS for ALLOWED_ORIGINS only', async () => {
    const url = await start({ ALLOWED_ORIGINS: 'https://mimicbot.example, https://other.example', MAX_TOKENS: '2' });
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'https://mimicbot.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://mimicbot.example');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    const allowed = await post(url, { prompt: 'hi' }, { origin: 'https://other.example' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://other.example');
    const refused = await post(url, { prompt: 'hi' }, { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.json()).toMatchObject({ error: { field: 'origin' } });
  });

  it('rate-limits each client (in memory by default)', async () => {
    const url = await start({ RATE_LIMIT_PER_MINUTE: '2', MAX_TOKENS: '2' });
    const client = (ip: string) => post(url, { prompt: 'hi' }, { 'x-forwarded-for': ip });
    expect((await client('203.0.113.1')).status).toBe(200);
    expect((await client('203.0.113.1')).status).toBe(200);
    const limited = await client('203.0.113.1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { field: 'client' } });
    expect((await client('203.0.113.2')).status).toBe(200);
  });

  it('shares the rate limit between two instances through Redis when REDIS_URL is set', async () => {
    const redis = await startRedisServer();
    try {
      const env = { RATE_LIMIT_PER_MINUTE: '3', REDIS_URL: redis.url, MAX_TOKENS: '2' };
      const [a, b] = [await start(env), await start(env)];
      const statuses = [];
      for (const url of [a, b, a, b]) statuses.push((await post(url, { prompt: 'hi' }, { 'x-forwarded-for': '198.51.100.7' })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await Promise.all(running.splice(0).map((fn) => fn.stop()));
      await redis.stop();
    }
  });

  it('answers 503 with a friendly JSON error when the model server is down, streaming or not', async () => {
    const url = await start({}, `http://127.0.0.1:${await freePort()}`);
    for (const accept of ['application/json', 'text/event-stream']) {
      const response = await post(url, { prompt: 'hi' }, { accept });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('not available') } });
    }
  });
});

describe('the demo function with model text the test controls', () => {
  // The filter needs a known offensive line; a tiny random model cannot be made to say one.
  it('stops a stream before a blocked word and says so; JSON requests regenerate', async () => {
    const standIn = await startStandInModel(['what a darn good day to be', 'clean words only']);
    try {
      const url = await start({ OUTPUT_FILTER_WORDS: 'darn' }, standIn.url);
      const events = await readEvents(await post(url, { prompt: '' }, { accept: 'text/event-stream' }));
      expect(events.filter((e) => e.event === 'delta').map((e) => e.data.text).join('')).toBe('what a');
      expect(events.at(-1)!.event).toBe('blocked');
      expect(events.some((e) => e.event === 'done')).toBe(false);

      const standInJson = await startStandInModel(['darn it', 'a nice reply']);
      const jsonUrl = await start({ OUTPUT_FILTER_WORDS: 'darn' }, standInJson.url);
      expect(await (await post(jsonUrl, { prompt: '' })).json()).toEqual({ text: 'a nice reply' });
      await standInJson.stop();
    } finally {
      await standIn.stop();
    }
  });
});
