import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ModelAbortedError,
  ModelAuthError,
  ModelRejectedError,
  ModelResponseError,
  ModelTimeoutError,
  ModelUnavailableError,
} from './errors.js';
import { completionsUrl, createModelClient, type ModelClientOptions, type StreamDelta } from './model-client.js';
import { freePort } from './testing/index.js';

/**
 * A scripted HTTP server on 127.0.0.1: each request is answered by the next responder in the script. It
 * produces on demand the server behaviours the client must survive (429 + Retry-After, 503 while starting,
 * a stalled answer, a broken stream); the happy path is also covered against the real server in
 * functions/slack's tests.
 */
type Responder = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let server: Server;
let endpoint: string;
let script: Responder[] = [];
const seen: { headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      const next = script.shift();
      if (next) next(req, res, body);
      else json(500, { error: { message: 'script exhausted' } })(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  script = [];
  seen.length = 0;
});

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Responder =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const completion = (text: string) => json(200, { choices: [{ index: 0, text, finish_reason: 'stop' }], usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 } });
const sse =
  (events: string[], { end = true } = {}): Responder =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const e of events) res.write(`data: ${e}\n\n`);
    if (end) res.end();
    else res.destroy();
  };
const stall: Responder = () => {};

const delays: number[] = [];
function client(overrides: Partial<ModelClientOptions> = {}) {
  delays.length = 0;
  return createModelClient({
    endpoint,
    timeoutMs: 2000,
    retries: 2,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0,
    ...overrides,
  });
}

describe('completionsUrl', () => {
  it('appends /v1/completions to a base URL, once', () => {
    expect(completionsUrl('http://h:1/')).toBe('http://h:1/v1/completions');
    expect(completionsUrl('http://h:1/v1/completions')).toBe('http://h:1/v1/completions');
  });
});

describe('complete', () => {
  it('sends the OpenAI wire fields and the request token, and returns the text and usage', async () => {
    script = [completion(' world')];
    const result = await client({ requestToken: 'tok', model: 'mimic' }).complete({ prompt: 'hello', maxTokens: 5, topP: 0.9, stop: ['\n'] });
    expect(result).toEqual({
      text: ' world',
      choices: [{ text: ' world', finishReason: 'stop' }],
      usage: { promptTokens: 2, completionTokens: 3, totalTokens: 5 },
    });
    expect(JSON.parse(seen[0].body)).toEqual({ model: 'mimic', prompt: 'hello', max_tokens: 5, top_p: 0.9, stop: ['\n'] });
    expect(seen[0].headers.authorization).toBe('Bearer tok');
  });

  it('retries 503 and 429 with backoff, following Retry-After, then succeeds', async () => {
    script = [json(503, { error: { message: 'starting' } }), json(429, { error: { message: 'queue full' } }, { 'retry-after': '2' }), completion('ok')];
    const retries: string[] = [];
    const result = await client({ onRetry: (info) => retries.push(info.reason) }).complete({ prompt: 'x' });
    expect(result.text).toBe('ok');
    expect(delays).toEqual([125, 2000]);
    expect(retries).toEqual(['503', '429']);
  });

  it('gives up with ModelUnavailableError after the last retry, saying how many attempts it made', async () => {
    script = [0, 1, 2].map(() => json(429, { error: { message: 'queue full' } }));
    const error = await client().complete({ prompt: 'x' }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error).toMatchObject({ status: 429, attempts: 3 });
    expect(seen).toHaveLength(3);
  });

  it('turns a refused connection into ModelUnavailableError, after retrying', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const error = await client({ endpoint: closed }).complete({ prompt: 'x' }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.attempts).toBe(3);
  });

  it('does not retry a 400, and reports the server message and field', async () => {
    script = [json(400, { error: { message: 'max_tokens must be at most 256', type: 'invalid_request_error', param: 'max_tokens', code: null } })];
    const error = await client().complete({ prompt: 'x', maxTokens: 9999 }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelRejectedError);
    expect(error).toMatchObject({ status: 400, param: 'max_tokens', type: 'invalid_request_error', message: 'max_tokens must be at most 256' });
    expect(seen).toHaveLength(1);
  });

  it('does not retry a 500', async () => {
    script = [json(500, { error: { message: 'boom' } })];
    const error = await client().complete({ prompt: 'x' }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error).toMatchObject({ status: 500, attempts: 1 });
  });

  it('times out a stalled attempt with ModelTimeoutError, without retrying', async () => {
    script = [stall];
    const error = await client({ timeoutMs: 200 }).complete({ prompt: 'x' }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelTimeoutError);
    expect(seen).toHaveLength(1);
  });

  it('reports a 200 that is not a completion as ModelResponseError', async () => {
    script = [(_q, res) => res.end('<html>hi</html>'), json(200, { nope: true })];
    await expect(client().complete({ prompt: 'x' })).rejects.toBeInstanceOf(ModelResponseError);
    await expect(client().complete({ prompt: 'x' })).rejects.toBeInstanceOf(ModelResponseError);
  });

  it('stops with ModelAbortedError when the caller aborts', async () => {
    const controller = new AbortController();
    // Aborted once the server has the request and is stalling on it: a request still on its way when the
    // test ends would reach the server during the next test and take that test's scripted answer.
    script = [() => controller.abort()];
    await expect(client().complete({ prompt: 'x' }, { signal: controller.signal })).rejects.toBeInstanceOf(ModelAbortedError);
  });
});

describe('Google ID token auth', () => {
  it('sends the ID token as the Bearer token when there is no request token', async () => {
    script = [completion('ok')];
    const audiences: string[] = [];
    await client({ audience: 'https://model.run.app', idTokenSource: async (a) => (audiences.push(a), 'id-token') }).complete({ prompt: 'x' });
    expect(audiences).toEqual(['https://model.run.app']);
    expect(seen[0].headers.authorization).toBe('Bearer id-token');
  });

  it('puts the ID token in X-Serverless-Authorization when a request token is also set', async () => {
    script = [completion('ok')];
    await client({ audience: 'aud', requestToken: 'tok', idTokenSource: async () => 'id-token' }).complete({ prompt: 'x' });
    expect(seen[0].headers.authorization).toBe('Bearer tok');
    expect(seen[0].headers['x-serverless-authorization']).toBe('Bearer id-token');
  });

  it('reports a token source failure as ModelAuthError', async () => {
    const error = await client({ audience: 'aud', idTokenSource: async () => Promise.reject(new Error('no metadata server')) })
      .complete({ prompt: 'x' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ModelAuthError);
    expect(seen).toHaveLength(0);
  });
});

describe('stream', () => {
  const chunk = (text: string, finishReason: string | null = null) => JSON.stringify({ choices: [{ index: 0, text, finish_reason: finishReason }] });

  async function collect(iterable: AsyncIterable<StreamDelta>): Promise<string[]> {
    const out: string[] = [];
    for await (const delta of iterable) out.push(delta.text);
    return out;
  }

  it('yields the text deltas until [DONE], asking for an SSE stream', async () => {
    script = [sse([chunk('Hel'), chunk('lo'), '[DONE]'])];
    expect(await collect(client().stream({ prompt: 'x' }))).toEqual(['Hel', 'lo']);
    expect(JSON.parse(seen[0].body).stream).toBe(true);
    expect(seen[0].headers.accept).toBe('text/event-stream');
  });

  it("carries the server's finish reason on the last piece, and other choices' text not at all", async () => {
    const other = JSON.stringify({ choices: [{ index: 1, text: 'not mine', finish_reason: null }] });
    script = [sse([chunk('Hi'), other, chunk(' there'), chunk('', 'length'), '[DONE]'])];
    const deltas: StreamDelta[] = [];
    for await (const delta of client().stream({ prompt: 'x' })) deltas.push(delta);
    expect(deltas).toEqual([
      { text: 'Hi', finishReason: null },
      { text: ' there', finishReason: null },
      { text: '', finishReason: 'length' },
    ]);
  });

  it('retries before the stream starts', async () => {
    script = [json(503, { error: { message: 'starting' } }), sse([chunk('a'), '[DONE]'])];
    expect(await collect(client().stream({ prompt: 'x' }))).toEqual(['a']);
  });

  it('reports a stream cut before [DONE] as ModelUnavailableError', async () => {
    script = [sse([chunk('a')], { end: false })];
    await expect(collect(client().stream({ prompt: 'x' }))).rejects.toBeInstanceOf(ModelUnavailableError);
  });

  it('times out when no chunk arrives for timeoutMs', async () => {
    script = [(_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${chunk('a')}\n\n`);
    }];
    const received: string[] = [];
    const error = await (async () => {
      for await (const delta of client({ timeoutMs: 300 }).stream({ prompt: 'x' })) received.push(delta.text);
    })().catch((e) => e);
    expect(received).toEqual(['a']);
    expect(error).toBeInstanceOf(ModelTimeoutError);
  });

  it('closes the connection when the consumer stops early', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    script = [(_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${chunk('a')}\n\n`);
      res.on('close', () => closed());
    }];
    for await (const delta of client().stream({ prompt: 'x' })) {
      expect(delta).toEqual({ text: 'a', finishReason: null });
      break;
    }
    await connectionClosed;
  });
});

describe('logprobs', () => {
  const withLogprobs = (logprobs: unknown) =>
    json(200, { choices: [{ index: 0, text: ' Hi there', logprobs, finish_reason: 'stop' }, { index: 1, text: ' Yo', logprobs: null, finish_reason: 'length' }] });

  it("asks for them and reads OpenAI's legacy format, offsets counted from the choice's first token", async () => {
    // OpenAI counts text_offset from the start of the prompt ("Say" is 3 characters).
    script = [withLogprobs({ tokens: [' Hi', ' there'], token_logprobs: [-0.5, -1.25], top_logprobs: null, text_offset: [3, 6] })];
    const result = await client().complete({ prompt: 'Say', n: 2, logprobs: 0 });
    expect(JSON.parse(seen[0].body)).toMatchObject({ n: 2, logprobs: 0 });
    expect(result.choices[0].logprobs).toEqual({ tokens: [' Hi', ' there'], tokenLogprobs: [-0.5, -1.25], textOffset: [0, 3] });
    expect(result.choices[1].logprobs).toBeUndefined();
  });

  it('reads a malformed logprobs object as none rather than failing the reply', async () => {
    for (const bad of [
      { tokens: [' Hi'], token_logprobs: [-0.5, -1], text_offset: [0] },
      { tokens: [' Hi'], token_logprobs: ['high'], text_offset: [0] },
      { tokens: [' a', ' b'], token_logprobs: [-1, -1], text_offset: [5, 2] },
      'yes',
    ]) {
      script = [withLogprobs(bad)];
      expect((await client().complete({ prompt: 'x', logprobs: 0 })).choices[0].logprobs).toBeUndefined();
    }
  });

  it('asks again without them when the server refuses the field, and does not ask for them again', async () => {
    const refused = json(400, { error: { message: 'logprobs is not supported', type: 'invalid_request_error', param: 'logprobs', code: null } });
    script = [refused, completion('fine'), completion('again')];
    const model = client();
    expect((await model.complete({ prompt: 'x', n: 2, logprobs: 0 })).text).toBe('fine');
    expect((await model.complete({ prompt: 'x', logprobs: 0 })).text).toBe('again');
    expect(seen.map((request) => 'logprobs' in JSON.parse(request.body))).toEqual([true, false, false]);
  });

  it('does not hide any other 400', async () => {
    script = [json(400, { error: { message: 'n is too big', param: 'n' } })];
    await expect(client().complete({ prompt: 'x', n: 99, logprobs: 0 })).rejects.toMatchObject({ status: 400, param: 'n' });
    expect(seen).toHaveLength(1);
  });
});

describe('models', () => {
  it('lists what the server serves with its one-line description, from the same base URL', async () => {
    const asked: string[] = [];
    const list = json(200, { object: 'list', data: [{ id: 'default-model', object: 'model', description: '  A small GPT-2 that writes fortunes.  ' }, { id: 'bare' }, { nope: 1 }] });
    script = [(req, res, body) => (asked.push(`${req.method} ${req.url}`), list(req, res, body))];
    const models = await client({ endpoint: `${endpoint}/v1/completions`, requestToken: 'tok' }).models();
    expect(models).toEqual([{ id: 'default-model', description: 'A small GPT-2 that writes fortunes.' }, { id: 'bare' }]);
    expect(asked).toEqual(['GET /v1/models']);
    expect(seen[0].headers.authorization).toBe('Bearer tok');
  });

  it('reports an answer without data[] as a response error', async () => {
    script = [json(200, { object: 'list' })];
    await expect(client().models()).rejects.toBeInstanceOf(ModelResponseError);
  });
});
