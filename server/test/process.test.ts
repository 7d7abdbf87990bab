/**
 * The container's contract, tested on the bundled entry point (what the Dockerfile runs): start with PORT
 * set, serve, and on SIGTERM finish the request in flight and exit 0; refuse to start with one line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildByteLevelTokenizer, buildGpt2Tokenizer, initGpt2Weights, tinyGpt2Config, writeModelFolder } from '@mimicbot/training';
import { SERVER_DECODER_FILE } from '@mimicbot/model-format';
import { buildGpt2ServerDecoder } from '@mimicbot/training/onnx';
import { buildServer, SERVER_NODE_FLAGS } from '../scripts/build.js';
import { makeTempDir, sseData, writeTestModel } from './helpers.js';

let root: string;
let modelDir: string;
let entry: string;

beforeAll(async () => {
  root = await makeTempDir();
  modelDir = await writeTestModel(join(root, 'model'));
  // Inside server/ so the bundle resolves its external packages from the workspace's node_modules.
  const outdir = join(import.meta.dirname, '..', '.tmp', `dist-${process.pid}`);
  await buildServer(outdir);
  entry = join(outdir, 'main.js');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(join(entry, '..'), { recursive: true, force: true });
});

/** The bundle as the image's CMD runs it (SERVER_NODE_FLAGS). */
function startProcess(env: Record<string, string>, cwd?: string): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, entry], { cwd, env: { PATH: process.env.PATH, THREADS: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exit };
}

async function waitForPort(stderr: () => string, exit: Promise<number | null>): Promise<number> {
  let exited = false;
  void exit.then(() => (exited = true));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = /ready on port (\d+)/.exec(stderr());
    if (match) return Number(match[1]);
    if (exited || Date.now() > deadline) throw new Error(`server did not start: ${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the bundled server process', () => {
  it('on SIGTERM finishes the request in flight, refuses new connections, and exits 0', async () => {
    // A generous grace period: on a busy machine 200 tokens can take longer than the default 8 s.
    const server = startProcess({ PORT: '0', MODEL_DIR: modelDir, MAX_NEW_TOKENS: '200', API_KEYS: 'sk-never-logged', SHUTDOWN_GRACE_MS: '60000' });
    const port = await waitForPort(server.stderr, server.exit);
    const url = `http://127.0.0.1:${port}`;
    const ready = await fetch(`${url}/readyz`, { headers: { connection: 'close' } });
    expect(ready.status).toBe(200);
    // The ready line names the graph served, its dtype, and the card's one line.
    expect(server.stderr()).toMatch(/ready on port \d+ in \d+ ms: server_decoder\.onnx \(fp32, 2 layers, .*\); "Random weights \(seed 7\), untrained[^"]*";/);

    let body = '';
    const streamDone = new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        `${url}/v1/completions`,
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-never-logged' } },
        (res) => {
          res.once('data', () => server.child.kill('SIGTERM'));
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', resolve);
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ prompt: 'In flight', max_tokens: 200, temperature: 0, stream: true, stream_options: { include_usage: true } }));
    });
    while (!server.stderr().includes('SIGTERM')) await new Promise((resolve) => setTimeout(resolve, 10));
    // A new connection (no keep-alive reuse) is not served while the old request goes on. Node closes the
    // listening socket on its next loop turn, so a connection that reaches the kernel's backlog just before is
    // reset rather than refused: either way no response comes back.
    const refused = await new Promise<string>((resolve) => {
      const req = httpRequest(`${url}/healthz`, { agent: false }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      req.end();
    });
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain(refused);
    await streamDone;
    const events = sseData(body);
    expect(events.at(-1)).toBe('[DONE]');
    expect(JSON.parse(events.at(-2) as string).usage.completion_tokens).toBe(200);
    expect(await server.exit).toBe(0);
    expect(server.stderr()).toContain('SIGTERM');
    expect(server.stderr()).not.toContain('sk-never-logged');
  });

  it('past SHUTDOWN_GRACE_MS cuts what is still running and still exits 0', async () => {
    const server = startProcess({ PORT: '0', MODEL_DIR: modelDir, MAX_NEW_TOKENS: '200', SHUTDOWN_GRACE_MS: '0' });
    const port = await waitForPort(server.stderr, server.exit);
    let body = '';
    await new Promise<void>((resolve) => {
      const req = httpRequest(`http://127.0.0.1:${port}/v1/completions`, { method: 'POST' }, (res) => {
        res.once('data', () => server.child.kill('SIGTERM'));
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('close', resolve);
      });
      req.on('error', () => resolve());
      req.end(JSON.stringify({ prompt: 'Cut me off', max_tokens: 200, temperature: 0, stream: true }));
    });
    expect(body).not.toContain('[DONE]');
    expect(await server.exit).toBe(0);
    expect(server.stderr()).toContain('grace period over');
  });

  it('finds a relative MODEL_DIR where npm was run (INIT_CWD), not in the folder npm runs the server in', async () => {
    // `MODEL_DIR=model npm start` in `root`: npm runs the server in server/ with INIT_CWD=root.
    const serverFolder = join(root, 'server');
    await mkdir(serverFolder, { recursive: true });
    const server = startProcess({ PORT: '0', MODEL_DIR: 'model', INIT_CWD: root }, serverFolder);
    await waitForPort(server.stderr, server.exit);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
  });

  it('refuses to start with one line naming the problem, and exits 1', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: 'eighty' }, /PORT: must be a whole number/],
      [{ MODEL_DIR: join(root, 'missing') }, /missing: no such folder\. Set MODEL_DIR/],
    ];
    const corrupt = join(root, 'corrupt');
    await mkdir(corrupt);
    for (const file of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) {
      await writeFile(join(corrupt, file), await import('node:fs/promises').then((fs) => fs.readFile(join(modelDir, file))));
    }
    await writeFile(join(corrupt, 'model.onnx'), 'not an onnx file');
    cases.push([{ MODEL_DIR: corrupt }, /model\.onnx: onnxruntime cannot load it/]);

    // A model with the byte-level vocabulary (257) next to GPT-2's tokenizer (50257 tokens).
    const mismatched = join(root, 'mismatched');
    const config = tinyGpt2Config();
    // With its server graph, as `mimicbot export` writes it (a folder without one would first log the fast path's build).
    const weights = initGpt2Weights(config, 1);
    await writeModelFolder(mismatched, { config, weights, tokenizer: buildByteLevelTokenizer(config.nPositions) }, { extraModels: { [SERVER_DECODER_FILE]: buildGpt2ServerDecoder(config, weights) } });
    const gpt2 = buildGpt2Tokenizer();
    await writeFile(join(mismatched, 'tokenizer.json'), JSON.stringify(gpt2.tokenizerJson));
    await writeFile(join(mismatched, 'tokenizer_config.json'), JSON.stringify(gpt2.tokenizerConfig));
    cases.push([{ MODEL_DIR: mismatched }, /tokenizer\.json has 50257 tokens but the model only 257/]);

    for (const [env, message] of cases) {
      const server = startProcess({ PORT: '0', MODEL_DIR: modelDir, ...env });
      expect(await server.exit, JSON.stringify(env)).toBe(1);
      const lines = server.stderr().trim().split('\n');
      expect(lines, server.stderr()).toHaveLength(1);
      expect(lines[0]).toMatch(/^mimicbot server cannot start: /);
      expect(lines[0]).toMatch(message);
    }
  });
});
