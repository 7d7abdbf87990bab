import { parseConfig } from '../src/config.js';
import type { OnnxEngine } from '../src/engine/engine.js';
import type { TokenRequest, TokenResult } from '../src/engine/types.js';
import { startMimicbotServer, type RunningServer } from '../src/start-server.js';

export { makeTempDir, sseData, writeTestModel } from '@mimicbot/server/testing';

export interface TestServer extends RunningServer {
  /** Every TokenResult the engine returned, with its request, in completion order. */
  results: { request: TokenRequest; result: TokenResult }[];
  /** Every line the server logged as an unexpected error. */
  errorLog: string[];
}

/** The real server (real engine, real socket on 127.0.0.1, any free port) configured by `env`. */
export async function startTestServer(modelDir: string, env: Record<string, string> = {}): Promise<TestServer> {
  const results: TestServer['results'] = [];
  const errorLog: string[] = [];
  const observe = (engine: OnnxEngine): OnnxEngine => ({
    ...engine, // createEngine returns a plain object: model, stats and close carry over as they are
    async generate(request) {
      const result = await engine.generate(request);
      results.push({ request, result });
      return result;
    },
  });
  const config = parseConfig({ PORT: '0', MODEL_DIR: modelDir, THREADS: '1', ...env });
  const server = await startMimicbotServer(config, { host: '127.0.0.1', wrapEngine: observe, logError: (line) => errorLog.push(line) });
  return Object.assign(server, { results, errorLog });
}

/** Servers a test file starts, shut down together in its afterAll: `const servers = testServers(); ... await servers.shutdown()`. */
export function testServers(defaults: Record<string, string> = {}): { start(dir: string, env?: Record<string, string>): Promise<TestServer>; shutdown(): Promise<void> } {
  const started: TestServer[] = [];
  return {
    async start(dir, env = {}) {
      const server = await startTestServer(dir, { ...defaults, ...env });
      started.push(server);
      return server;
    },
    async shutdown() {
      await Promise.all(started.splice(0).map((s) => s.shutdown()));
    },
  };
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

/** Resolves once `condition` holds, polling every 10 ms; rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
