/**
 * The demo function end to end: the real functions-framework on a real socket, the shared model client
 * calling the model server (JSON and SSE), the rate limit on memory and on a real redis-server.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  freePort,
  functionStartFailure,
  ISSUE_11,
  ISSUE_11_NEVER_SHOWN,
  issue11Draw,
  runFunction,
  startRedisServer,
  startStandInModel,
  tinyModelServerForSuite,
  type RunningFunction,
} from '@mimicbot/functions-shared/testing';
import { cleanGeneratedText, createKeyValueStore, createMemoryFeedbackStore, createMemoryStore, type FeedbackStore } from '@mimicbot/functions-shared';
import { parseConfig } from '../src/config.js';
import { demoDepsFromConfig } from '../src/from-config.js';
import { createDemoHandler } from '../src/handler.js';
import { createRateLimiter } from '../src/rate-limit.js';

const model = tinyModelServerForSuite({}, { seed: 7 });
const running: RunningFunction[] = [];
let logs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((fn) => fn.stop()));
  logs = [];
});

/**
 * The rate limit's clock stands still inside one window: on a busy machine a test's requests could otherwise
 * straddle a minute boundary, and a fresh window would let more through than the limit.
 */
const FROZEN_NOW = 1_800_000_000_000 + 1_000;

async function start(env: Record<string, string> = {}, modelUrl = model.url, feedback: FeedbackStore = createMemoryFeedbackStore()): Promise<string> {
  const config = parseConfig({ MODEL_ENDPOINT: modelUrl, MODEL_RETRIES: '0', MAX_TOKENS: '8', ...env });
  const now = () => FROZEN_NOW;
  const store = config.shared.store.kind === 'memory' ? createMemoryStore({ now }) : createKeyValueStore(config.shared.store, 'demo');
  const deps = {
    ...demoDepsFromConfig(config, undefined, feedback),
    rateLimit: createRateLimiter({ store, limit: config.rateLimitPerMinute, windowMs: 60_000, now }),
    feedbackRateLimit: createRateLimiter({ store, limit: config.feedbackPerMinute, windowMs: 60_000, now, keyPrefix: 'feedback' }),
    log: (event: string, fields = {}) => void logs.push(JSON.stringify({ event, ...fields })),
  };
  const fn = await runFunction(createDemoHandler(deps));
  running.push(fn);
  return fn.url;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** A POST through node:http, which sends a header given as a list as that many header lines. */
function postRaw(url: string, body: unknown, headers: Record<string, string | string[]>): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** What a shown reply carries besides its text: the stand-in's model id and the id a rating names. */
const SAVED = { model: 'stand-in', replyId: expect.stringMatching(/^[\w-]{22}$/) };

/** Reads an SSE body into its events, in order. */
async function readEvents(response: Response): Promise<{ event: string; data: { text?: string; message?: string; prompt?: string; joined?: string } }[]> {
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
  it('sends the security headers on the page, its files and its JSON answers alike', async () => {
    const url = await start();
    const answers = [await fetch(url), await fetch(`${url}/?asset=demo.js`), await fetch(`${url}/?asset=nope`), await post(url, { prompt: 'x'.repeat(5000) })];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 404, 400]);
    for (const answer of answers) {
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('serves a favicon by the name the page links, so browsers do not ask for /favicon.ico', async () => {
    const url = await start();
    expect(await (await fetch(url)).text()).toContain('<link rel="icon" href="?asset=favicon.svg" type="image/svg+xml">');
    for (const path of ['/?asset=favicon.svg', '/demo?asset=favicon.svg']) {
      const icon = await fetch(`${url}${path}`);
      expect(icon.status).toBe(200);
      expect(icon.headers.get('content-type')).toBe('image/svg+xml');
      expect(await icon.text()).toMatch(/^<svg /);
    }
  });

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

  it('answers POST {prompt} with the continuation that passed the gate, and the prompt and it as one message', async () => {
    const url = await start({ MAX_TOKENS: '16' });
    const response = await post(url, { prompt: 'The best thing about Mondays is' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.prompt).toBe('The best thing about Mondays is');
    if (body.text === '') {
      // A random model's drafts may all fail the gate; the answer then says so.
      expect(body.message).toMatch(/Try regenerating/);
      return;
    }
    expect(body.text).not.toContain('<|endoftext|>');
    expect(body.text).toBe(body.text.trim());
    expect(body.joined).toMatch(/^The best thing about Mondays is[\s\p{P}]/u);
    expect(body.joined.endsWith(body.text)).toBe(true);
  });

  it('streams the reply as delta events, then done with the gated text the deltas led up to', async () => {
    // Random words from a random model may now and then include a listed one; the filter is not the subject here.
    const url = await start({ MAX_TOKENS: '16', OUTPUT_FILTER: 'off', GATE_MIN_WORDS: '1' });
    const response = await post(url, { prompt: 'hello' }, { accept: 'text/event-stream' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readEvents(response);
    const last = events.at(-1)!;
    expect(['done', 'nothing']).toContain(last.event);
    if (last.event !== 'done') return;
    // What streamed since the last reset is where the final message starts (a cut at the token limit only
    // takes words off its end).
    const sinceReset = events.slice(events.map((e) => e.event).lastIndexOf('reset') + 1).filter((e) => e.event === 'delta');
    const shown = `hello${sinceReset.map((e) => e.data.text).join('')}`;
    const joined = last.data.joined!;
    expect(joined.startsWith('hello')).toBe(true);
    expect(joined.startsWith(shown)).toBe(true);
  });

  it("puts the served model's description in the page, escaped", async () => {
    const standIn = await startStandInModel([], { description: 'A bot that writes <fortunes> & "quotes".' });
    try {
      const page = await (await fetch(await start({}, standIn.url))).text();
      expect(page).toContain('<meta name="description" content="A bot that writes &lt;fortunes&gt; &amp; &quot;quotes&quot;.">');
      expect(page).toContain('<span id="description">A bot that writes &lt;fortunes&gt; &amp; &quot;quotes&quot;.</span>');
    } finally {
      await standIn.stop();
    }
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

  it('rate-limits each client (in memory by default), behind one trusted proxy hop', async () => {
    const url = await start({ RATE_LIMIT_PER_MINUTE: '2', MAX_TOKENS: '2', TRUSTED_PROXY_HOPS: '1' });
    const client = (ip: string) => post(url, { prompt: 'hi' }, { 'x-forwarded-for': ip });
    expect((await client('203.0.113.1')).status).toBe(200);
    expect((await client('203.0.113.1')).status).toBe(200);
    const limited = await client('203.0.113.1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { field: 'client' } });
    expect((await client('203.0.113.2')).status).toBe(200);
  });

  it('cannot be escaped with made-up X-Forwarded-For values, one header line or several', async () => {
    const random = () => Array.from({ length: 4 }, () => Math.floor(Math.random() * 256)).join('.');
    // Nothing in front appends to the header (no proxy hop trusted, the default off Cloud Run): it is all forged.
    const direct = await start({ RATE_LIMIT_PER_MINUTE: '10', MAX_TOKENS: '1' });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const lines = i % 2 === 0 ? [random()] : [`${random()}, ${random()}`, random()];
      statuses.push((await postRaw(direct, { prompt: 'hi' }, { 'x-forwarded-for': lines })).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);

    // Behind one proxy that appends what it saw: whatever the client sends before it, that entry decides.
    const proxied = await start({ RATE_LIMIT_PER_MINUTE: '10', MAX_TOKENS: '1', TRUSTED_PROXY_HOPS: '1' });
    const behindProxy: number[] = [];
    for (let i = 0; i < 30; i++) {
      behindProxy.push((await postRaw(proxied, { prompt: 'hi' }, { 'x-forwarded-for': [`${random()}, ${random()}`, `${random()}, 203.0.113.50`] })).status);
    }
    expect(behindProxy.filter((s) => s === 200)).toHaveLength(10);
    expect((await postRaw(proxied, { prompt: 'hi' }, { 'x-forwarded-for': [random(), '203.0.113.51'] })).status).toBe(200);
  }, 120_000);

  it('shares the rate limit between two instances through Redis when REDIS_URL is set', async () => {
    const redis = await startRedisServer();
    try {
      const env = { RATE_LIMIT_PER_MINUTE: '3', REDIS_URL: redis.url, MAX_TOKENS: '2', TRUSTED_PROXY_HOPS: '1' };
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
  it('never shows a bidirectional override or other invisible control, streaming or not', async () => {
    const line = 'read \u202Esdrawkcab\u202C and\u200B\u2066 on\u0007';
    // Four for the JSON request's draw, one for the stream.
    const standIn = await startStandInModel(Array(5).fill(line));
    try {
      const url = await start({}, standIn.url);
      const clean = 'read sdrawkcab and on';
      expect(await (await post(url, { prompt: '' })).json()).toEqual({ prompt: '', text: clean, joined: clean, ...SAVED });
      const events = await readEvents(await post(url, { prompt: '' }, { accept: 'text/event-stream' }));
      expect(events.at(-1)).toEqual({ event: 'done', data: { prompt: '', text: clean, joined: clean, ...SAVED } });
      // One unfinished sentence: it waits for the end, and comes clean in done.
      expect(events.filter((e) => e.event === 'delta')).toEqual([]);
    } finally {
      await standIn.stop();
    }
  });

  it('says honestly when nothing passed, with the count of each reason', async () => {
    // Three draws of four drafts, none usable.
    const draw = ['<|endoftext|>', 'darn it all', ' ', '?!'];
    const standIn = await startStandInModel([...draw, ...draw, ...draw]);
    try {
      const url = await start({ OUTPUT_FILTER_WORDS: 'darn' }, standIn.url);
      expect(await (await post(url, { prompt: '' })).json()).toEqual({
        prompt: '',
        text: '',
        blocked: true,
        message: 'The bot came up with something the filter will not show. Try regenerating.',
        rejected: { empty: 6, filtered: 3, no_words: 3 },
      });
      expect(standIn.calls).toBe(3);
      expect(logs).toContain(JSON.stringify({ event: 'reply_decision', status: 'nothing_passed', draws: 3, drafts: 12, rejected: { empty: 6, filtered: 3, no_words: 3 } }));
    } finally {
      await standIn.stop();
    }
  });

  // The filter needs a known offensive line; a tiny random model cannot be made to say one.
  it('stops a stream before a blocked word, resets and streams the next draft; JSON requests take the next draft', async () => {
    const standIn = await startStandInModel(['What a day. A darn good day. Yes.', 'Clean words. Only.', 'darn it', 'darn it', 'darn it']);
    try {
      const url = await start({ OUTPUT_FILTER_WORDS: 'darn' }, standIn.url);
      const events = await readEvents(await post(url, { prompt: '' }, { accept: 'text/event-stream' }));
      expect(events.map((e) => (e.event === 'delta' ? e.data.text : e.event))).toEqual(['What a day.', 'reset', 'Clean words.', 'done']);
      expect(events.at(-1)!.data).toEqual({ prompt: '', text: 'Clean words. Only.', joined: 'Clean words. Only.', ...SAVED });
      // With nothing clean left to draw, it says so.
      const blocked = await readEvents(await post(url, { prompt: '' }, { accept: 'text/event-stream' }));
      expect(blocked.at(-1)).toMatchObject({ event: 'blocked', data: { message: expect.stringContaining('filter') } });

      const standInJson = await startStandInModel(['darn it', 'a nice reply']);
      const jsonUrl = await start({ OUTPUT_FILTER_WORDS: 'darn' }, standInJson.url);
      expect(await (await post(jsonUrl, { prompt: '' })).json()).toEqual({ prompt: '', text: 'a nice reply', joined: 'a nice reply', ...SAVED });
      await standInJson.stop();
    } finally {
      await standIn.stop();
    }
  });
});

describe('the demo function\'s feedback, personas and suggestions', () => {
  const voter = 'f'.repeat(32);
  const rate = (url: string, body: unknown, path = '/feedback') => post(`${url}${path}`, body);

  it('saves each reply it shows with its model, prompt, settings and the seed that draws it again', async () => {
    const feedback = createMemoryFeedbackStore();
    const url = await start({ MAX_TOKENS: '16', MAX_ATTEMPTS: '6' }, model.url, feedback);
    const body = await (await post(url, { prompt: 'Coffee is' })).json();
    // A random model's drafts may all fail the gate; then nothing is saved and there is no id to rate.
    expect(body.replyId, JSON.stringify(body)).toMatch(/^[\w-]{22}$/);
    const saved = (await feedback.getReply('demo', body.replyId))!;
    expect(saved).toMatchObject({ surface: 'demo', id: body.replyId, prompt: 'Coffee is', text: body.text, settings: { maxTokens: 16, temperature: 0.9, topP: 0.95 } });
    // The persona's id: without MODEL_NAMES, the model the server lists first.
    const listed = ((await (await fetch(`${model.url}/v1/models`)).json()) as { data: { id: string }[] }).data[0].id;
    expect(saved.model).toBe(listed);
    // The reply loop drew several drafts with one seed; the saved one is the chosen draft's own, alone.
    const direct = await fetch(`${model.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'Coffee is', seed: saved.seed, max_tokens: 16, temperature: 0.9, top_p: 0.95 }),
    });
    const raw = ((await direct.json()) as { choices: { text: string }[] }).choices[0].text;
    expect(cleanGeneratedText(raw)).toContain(saved.text);
  });

  it('takes 👍/👎 by reply id into the store, never the text the browser sends, and a rating taken back', async () => {
    const feedback = createMemoryFeedbackStore();
    const standIn = await startStandInModel([' A fine line.']);
    try {
      const url = await start({}, standIn.url, feedback);
      const events = await readEvents(await post(url, { prompt: '' }, { accept: 'text/event-stream' }));
      const { replyId } = events.at(-1)!.data as { replyId: string };
      const response = await rate(url, { replyId, rating: 'up', voter, text: 'something the bot never said' });
      expect(response.status).toBe(204);
      const ratings = [];
      for await (const rated of feedback.ratedReplies()) ratings.push(rated);
      expect(ratings).toEqual([{ reply: expect.objectContaining({ id: replyId, text: 'A fine line.', model: 'stand-in' }), up: 1, down: 0 }]);
      // Under /demo too (the cloudfunctions.net URL); null takes it back.
      expect((await rate(url, { replyId, rating: null, voter }, '/demo/feedback')).status).toBe(204);
      for await (const rated of feedback.ratedReplies()) throw new Error(`still rated: ${JSON.stringify(rated)}`);
    } finally {
      await standIn.stop();
    }
  });

  it('answers bad feedback with 4xx JSON naming the field, an unknown reply with 404, and rate-limits ratings apart from replies', async () => {
    const standIn = await startStandInModel([' A fine line.']);
    try {
      const url = await start({ FEEDBACK_PER_MINUTE: '2', RATE_LIMIT_PER_MINUTE: '100' }, standIn.url);
      const { replyId } = await (await post(url, { prompt: '' })).json();
      expect(await (await rate(url, { replyId: 'nope', rating: 'up', voter })).json()).toMatchObject({ error: { field: 'replyId' } });
      expect((await rate(url, { replyId, rating: 'meh', voter })).status).toBe(400);
      const unknown = await rate(url, { replyId: 'A'.repeat(22), rating: 'up', voter });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { field: 'replyId', message: expect.stringContaining('no reply') } });
      const text = await fetch(`${url}/feedback`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'up' });
      expect(text.status).toBe(415);
      // The two counted above (the 404 and this one) use up the limit; the 400s were refused before counting.
      expect((await rate(url, { replyId, rating: 'down', voter })).status).toBe(204);
      const limited = await rate(url, { replyId, rating: 'up', voter });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await post(url, { prompt: '' })).status).toBe(200);
    } finally {
      await standIn.stop();
    }
  });

  it('refuses a model that is not one of its personas, and a suggest prefix longer than a prompt', async () => {
    const url = await start({ PROMPT_MAX_CHARS: '20' });
    expect(await (await post(url, { prompt: 'hi', model: 'zippy' })).json()).toEqual({
      error: { field: 'model', message: 'model must be left out: this demo serves one model' },
    });
    const long = await fetch(`${url}/?suggest=${'x'.repeat(21)}`);
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: { field: 'suggest' } });
  });

  it("suggests the maker's prompts by prefix, bounded, and marks a named model the server does not serve", async () => {
    const url = await start({ SUGGESTED_PROMPTS: Array.from({ length: 8 }, (_, i) => `Mondays ${i}`).join('|'), MODEL_NAMES: 'nobody' });
    const answer = await fetch(`${url}/?suggest=${encodeURIComponent('mondays')}`);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(await answer.json()).toEqual({ suggestions: ['Mondays 0', 'Mondays 1', 'Mondays 2', 'Mondays 3', 'Mondays 4'] });
    const page = await (await fetch(url)).text();
    expect(page).toContain('&quot;name&quot;:&quot;nobody&quot;');
    expect(page).toContain('&quot;served&quot;:false');
    await fetch(url);
    expect(logs.filter((line) => line.includes('persona_not_served'))).toHaveLength(1);
  });
});

describe("the demo function and issue 11's drafts", () => {
  it('shows the good line of a draw where the degenerate drafts were likeliest, streaming or not, and never any of them', async () => {
    const streamed = [` ${ISSUE_11.degenerate[0]}. More.`, ` ${ISSUE_11.degenerate[1]}`, { text: ` ${ISSUE_11.lengthCut}`, finishReason: 'length' as const }];
    const standIn = await startStandInModel([...issue11Draw(), ...streamed]);
    try {
      const url = await start({ MAX_ATTEMPTS: '3' }, standIn.url);
      const json = await (await post(url, { prompt: 'Mondays' })).json();
      expect(json).toEqual({ prompt: 'Mondays', text: ISSUE_11.good, joined: `Mondays ${ISSUE_11.good}`, ...SAVED });
      const events = await readEvents(await post(url, { prompt: 'Mondays' }, { accept: 'text/event-stream' }));
      expect(events.at(-1)).toEqual({ event: 'done', data: { prompt: 'Mondays', text: ISSUE_11.lengthCutKept, joined: `Mondays ${ISSUE_11.lengthCutKept}`, ...SAVED } });
      const everything = [JSON.stringify(json), ...events.map((e) => JSON.stringify(e.data)), ...logs];
      for (const text of everything) for (const bad of ISSUE_11_NEVER_SHOWN) expect(text).not.toContain(bad);
    } finally {
      await standIn.stop();
    }
  });
});

describe('the demo function as deployed code', () => {
  it('refuses to start with a bad environment, printing every problem on its own line', async () => {
    const { code, output } = await functionStartFailure('demo', { MODEL_ENDPOINT: 'localhost:8080', TRUSTED_PROXY_HOPS: 'all', REDIS_URL: 'http://cache' });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      'demo: cannot start: 3 problems with its environment variables:',
      '  MODEL_ENDPOINT: must be a URL starting with http:// or https://, got "localhost:8080" (did you mean http://localhost:8080?)',
      '  REDIS_URL: must be a URL starting with redis:// or rediss://, got http://',
      '  TRUSTED_PROXY_HOPS: must be an integer from 0 to 10, got "all"',
    ]);
  });
});
