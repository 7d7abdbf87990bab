/**
 * `npx tsx server/scripts/measure-uploads.ts [--entry <server main.ts>] [--aborts 20] [--wait-s 400]`
 *
 * What bad uploads do: starts the server (this tree's, or another checkout's entry point with --entry, for
 * a before/after) on a random-weight model, then
 * 1. `--aborts` clients each send half of a POST / body and disconnect; prints how /metrics counted them
 *    and how many lines the server logged;
 * 2. one client sends half of a body and stalls; prints how long until the server answered (waiting at most
 *    `--wait-s` seconds), the status and whether the body is JSON.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeTempDir, writeTestModel } from '@mimicbot/server/testing';

const { values } = parseArgs({
  options: {
    entry: { type: 'string', default: fileURLToPath(new URL('../src/main.ts', import.meta.url)) },
    aborts: { type: 'string', default: '20' },
    'wait-s': { type: 'string', default: '400' },
  },
});
const entry = resolve(values.entry);

const HALF_A_BODY = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"prompt": "half';

function exchange(port: number, bytes: string, waitMs: number, abortAfterMs?: number): Promise<{ response: string; ms: number }> {
  return new Promise((done) => {
    const started = performance.now();
    let response = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (chunk) => (response += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => done({ response, ms: performance.now() - started }));
    if (abortAfterMs !== undefined) setTimeout(() => socket.destroy(), abortAfterMs);
    setTimeout(() => socket.destroy(), waitMs);
  });
}

const root = await makeTempDir('mimicbot-uploads-');
const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), entry], {
  env: { PATH: process.env.PATH, PORT: '0', THREADS: '1', MODEL_DIR: await writeTestModel(join(root, 'model')) },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
try {
  const deadline = Date.now() + 120_000;
  while (!/ready on port \d+/.test(stderr)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const port = Number(/ready on port (\d+)/.exec(stderr)![1]);
  const linesAtStart = stderr.split('\n').length;
  console.log(`entry ${entry}`);

  await Promise.all(Array.from({ length: Number(values.aborts) }, () => exchange(port, HALF_A_BODY, 5_000, 50)));
  await new Promise((r) => setTimeout(r, 1_000));
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const counted = metrics.split('\n').filter((line) => line.startsWith('mimicbot_http_requests_total{route="/"'));
  console.log(`${values.aborts} clients gone mid-upload: ${counted.join(', ') || 'not counted'}; ${stderr.split('\n').length - linesAtStart} lines logged`);

  const stalled = await exchange(port, HALF_A_BODY, Number(values['wait-s']) * 1000);
  const [head = '', body = ''] = stalled.response.split('\r\n\r\n');
  const status = head.split('\r\n')[0] || '(no answer)';
  const json = (() => {
    try {
      return typeof JSON.parse(body).error.message === 'string';
    } catch {
      return false;
    }
  })();
  console.log(`a stalled upload: answered after ${(stalled.ms / 1000).toFixed(1)} s: ${status}; JSON body: ${json ? 'yes' : `no (${body.length} bytes)`}`);
  await new Promise((r) => setTimeout(r, 500));
  console.log(`server log lines since start: ${stderr.split('\n').length - linesAtStart}`);
} finally {
  child.kill('SIGTERM');
  await rm(root, { recursive: true, force: true });
}
