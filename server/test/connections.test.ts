/**
 * What happens below the routes: bytes Node's parser refuses, uploads that stall or break off, and
 * kept-alive connections at SIGTERM. Driven over raw TCP, since a well-behaved client cannot misbehave.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, startTestServer, waitFor, writeTestModel, type TestServer } from './helpers.js';
import { RawConnection, rawRequest, type RawResponse } from './raw-http.js';

let root: string;
let modelDir: string;
let server: TestServer;

beforeAll(async () => {
  root = await makeTempDir();
  modelDir = await writeTestModel(join(root, 'model'));
  server = await startTestServer(modelDir, { BODY_TIMEOUT_MS: '400' });
});
afterAll(async () => {
  await server?.shutdown();
  await rm(root, { recursive: true, force: true });
});

async function exchange(target: TestServer, bytes: string | Buffer): Promise<RawResponse | 'closed'> {
  const connection = await RawConnection.open(target.port);
  try {
    connection.send(bytes);
    return await connection.next();
  } finally {
    connection.destroy();
  }
}

function expectJsonError(response: RawResponse | 'closed', status: number, what: string): RawResponse {
  expect(response, what).not.toBe('closed');
  const answer = response as RawResponse;
  expect(answer.status, what).toBe(status);
  expect(answer.headers['content-type'], what).toMatch(/^application\/json/);
  expect(JSON.parse(answer.body).error.message, what).toBeTypeOf('string');
  return answer;
}

async function metricsText(target: TestServer): Promise<string> {
  return (await fetch(`${target.url}/metrics`)).text();
}

describe('requests Node’s parser refuses', () => {
  it('are answered in the documented JSON shape, with Connection: close', async () => {
    const cases: [string, string | Buffer, number][] = [
      ['a control byte in a header value', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n', 400],
      ['a NUL byte in the path', 'GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n', 400],
      ['a Content-Length that is not a number', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400],
      ['two different Content-Lengths', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}', 400],
      ['no Host header', 'GET /healthz HTTP/1.1\r\n\r\n', 400],
      ['a 20 KB URL', `GET /?prompt=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
      ['a 20 KB header', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`, 431],
      ['not HTTP at all', 'HELLO\r\n\r\n', 400],
    ];
    for (const [what, bytes, status] of cases) {
      const answer = expectJsonError(await exchange(server, bytes), status, what);
      expect(answer.headers.connection, what).toBe('close');
    }
    // Bytes that are not UTF-8 in the path: refused or not found, but always JSON and never a 5xx.
    const latin = await exchange(server, Buffer.concat([Buffer.from('GET /\xff\xfe'), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
    expect(latin).not.toBe('closed');
    expect((latin as RawResponse).status).toBeLessThan(500);
    expect(JSON.parse((latin as RawResponse).body).error).toBeDefined();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await metricsText(server)).toMatch(/mimicbot_http_requests_total\{route="unparsed",method="unknown",status="431"\} [1-9]/);
  });
});

describe('uploads', () => {
  it('a body that stalls gets a JSON 408 after BODY_TIMEOUT_MS and the connection is closed', async () => {
    const connection = await RawConnection.open(server.port);
    connection.send(rawRequest('POST', '/v1/completions', { headers: { 'Content-Length': '100' } }) + '{"prompt": "st');
    const answer = expectJsonError(await connection.next(), 408, 'stalled body');
    expect(JSON.parse(answer.body).error).toMatchObject({ code: 'request_timeout', param: 'body' });
    expect(answer.headers.connection).toBe('close');
    await connection.closedByServer();
  });

  it('headers that stall get a JSON 408 too', async () => {
    const connection = await RawConnection.open(server.port);
    connection.send('POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Ty');
    const answer = expectJsonError(await connection.next(), 408, 'stalled headers');
    expect(answer.headers.connection).toBe('close');
    connection.destroy();
  });

  it('a client that goes away mid-upload is counted as 499, not as a server error, and nothing is logged', async () => {
    // Gone at once, or a little later: before or after the server starts reading the body.
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const connection = await RawConnection.open(server.port);
        connection.send(rawRequest('POST', '/', { headers: { 'Content-Length': '5000', 'Content-Type': 'application/json' } }) + '{"prompt": "half of it');
        await new Promise((resolve) => setTimeout(resolve, i * 5));
        connection.destroy();
      }),
    );
    let text = '';
    await waitFor(async () => {
      text = await metricsText(server);
      return /route="\/",method="POST",status="\d+"\} 10\b/.test(text);
    });
    // All ten as 499, well before BODY_TIMEOUT_MS would have made them 408s.
    expect(text).toMatch(/mimicbot_http_requests_total\{route="\/",method="POST",status="499"\} 10\b/);
    expect(text).not.toMatch(/status="5\d\d"/);
    expect(server.errorLog).toEqual([]);
  });
});

describe('SIGTERM and kept-alive connections', () => {
  const started: TestServer[] = [];
  afterAll(() => Promise.all(started.map((s) => s.shutdown())));
  async function startDraining(): Promise<TestServer> {
    const target = await startTestServer(modelDir, { SHUTDOWN_GRACE_MS: '60000', MAX_NEW_TOKENS: '460' });
    started.push(target);
    return target;
  }

  it('a response still being generated at SIGTERM says Connection: close; a request pipelined behind it never gets a 200; shutdown needs no grace timer', async () => {
    const target = await startDraining();
    const connection = await RawConnection.open(target.port);
    const body = JSON.stringify({ prompt: 'slow', length: 400, temperature: 0 });
    connection.send(rawRequest('POST', '/', { headers: { 'Content-Type': 'application/json' }, body }));
    await waitFor(() => target.engine.stats().activeSequences > 0);
    const shutdown = target.shutdown();
    connection.send(rawRequest('GET', '/v1/models'));
    const first = await connection.next();
    expect(first).not.toBe('closed');
    expect((first as RawResponse).status).toBe(200);
    expect((first as RawResponse).headers.connection).toBe('close');
    const second = await connection.next();
    if (second !== 'closed') expect(second.status).toBe(503);
    // Grace was 60 s: resolving without the cut-off means no connection waited for it.
    expect(await shutdown).toEqual({ cutOff: false });
  });

  it('a stream under way at SIGTERM finishes; a request pipelined behind it is not served, and the connection closes', async () => {
    const target = await startDraining();
    const connection = await RawConnection.open(target.port);
    const body = JSON.stringify({ prompt: 'stream', max_tokens: 300, temperature: 0, stream: true });
    connection.send(rawRequest('POST', '/v1/completions', { headers: { 'Content-Type': 'application/json' }, body }));
    await waitFor(() => target.engine.stats().activeSequences > 0);
    const shutdown = target.shutdown();
    connection.send(rawRequest('GET', '/v1/models'));
    const streamed = await connection.next();
    expect(streamed).not.toBe('closed');
    expect((streamed as RawResponse).body).toContain('data: [DONE]');
    const behind = await connection.next();
    if (behind !== 'closed') expect(behind.status).toBe(503);
    await connection.closedByServer();
    expect(await shutdown).toEqual({ cutOff: false });
  });

  it('an idle kept-alive connection is closed at SIGTERM: a request sent on it then gets 503 or nothing, never a 200', async () => {
    const target = await startDraining();
    const connection = await RawConnection.open(target.port);
    const body = JSON.stringify({ prompt: 'busy', length: 400, temperature: 0 });
    // A second connection keeps the server draining while the first asks again.
    const busy = await RawConnection.open(target.port);
    busy.send(rawRequest('POST', '/', { headers: { 'Content-Type': 'application/json' }, body }));
    await waitFor(() => target.engine.stats().activeSequences > 0);
    connection.send(rawRequest('GET', '/v1/models'));
    expect(((await connection.next()) as RawResponse).status).toBe(200);
    const shutdown = target.shutdown();
    connection.send(rawRequest('GET', '/v1/models'));
    const late = await connection.next();
    if (late !== 'closed') {
      expect(late.status).toBe(503);
      expect(late.headers.connection).toBe('close');
    }
    expect(((await busy.next()) as RawResponse).status).toBe(200);
    expect(await shutdown).toEqual({ cutOff: false });
  });
});
