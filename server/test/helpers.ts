import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config.js';
import type { OnnxEngine } from '../src/engine/engine.js';
import type { TokenRequest, TokenResult } from '../src/engine/types.js';
import { startMimicbotServer, type RunningServer } from '../src/service/mimicbot-server.js';
import { writeRandomModel, type RandomModelOptions } from '@mimicbot/training';

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mimicbot-server-test-'));
}

/** GPT-2's tokenizer, random weights: 2 layers, 2 heads, 32 channels, context 512. */
export async function writeTestModel(dir: string, options: RandomModelOptions = {}): Promise<string> {
  await writeRandomModel(dir, { seed: 7, ...options, config: { nPositions: 512, ...options.config } });
  return dir;
}

export interface TestServer extends RunningServer {
  /** Every TokenResult the engine returned, with its request, in completion order. */
  results: { request: TokenRequest; result: TokenResult }[];
}

/** The real server (real engine, real socket on 127.0.0.1, any free port) configured by `env`. */
export async function startTestServer(modelDir: string, env: Record<string, string> = {}): Promise<TestServer> {
  const results: TestServer['results'] = [];
  const observe = (engine: OnnxEngine): OnnxEngine => ({
    ...engine, // createEngine returns a plain object: model, stats and close carry over as they are
    async generate(request) {
      const result = await engine.generate(request);
      results.push({ request, result });
      return result;
    },
  });
  const config = parseConfig({ PORT: '0', MODEL_DIR: modelDir, THREADS: '1', ...env });
  const server = await startMimicbotServer(config, { host: '127.0.0.1', wrapEngine: observe });
  return Object.assign(server, { results });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary response JSON
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

/** The `data:` payloads of an SSE body, in order. */
export function sseData(body: string): string[] {
  return body
    .split('\n\n')
    .map((event) => event.trim())
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}
