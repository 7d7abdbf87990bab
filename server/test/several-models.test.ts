/**
 * A folder of model folders served by one server: each `model` answers with that model's own greedy text,
 * the same text the model gives when it is served alone (real servers, real sockets, tiny real models of
 * different sizes whose greedy continuations differ).
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tinyTestModel } from '@mimicbot/training/testing';
import { writeLayoutModel } from '@mimicbot/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { DefaultModelError, ModelStartError } from '../src/service/open-models.js';
import { startMimicbotServer } from '../src/start-server.js';
import { makeTempDir, postJson, testServers, type TestServer } from './helpers.js';

const PROMPTS = ['The cat', 'Hello, world', 'zq!'];

let root: string;
let models: string;
const servers = testServers({ CACHE_MAX_ENTRIES: '0' });

beforeAll(async () => {
  root = await makeTempDir();
  models = join(root, 'models');
  await mkdir(models);
  // Written at <root>/<seed>/server, then moved under models/ by the name the server will know them by.
  for (const [id, model] of [
    ['bot-a', tinyTestModel(3)],
    ['bot-b', tinyTestModel(5, { nEmbd: 64, nHead: 4, nLayer: 3 })],
  ] as const) {
    const { dir } = await writeLayoutModel(join(root, id), 'server', model);
    await rename(dir, join(models, id));
  }
  // Not models: ignored.
  await mkdir(join(models, 'notes'));
  await writeFile(join(models, 'README.md'), 'two bots\n');
}, 120_000);
afterAll(async () => {
  await servers.shutdown();
  await rm(root, { recursive: true, force: true });
});

const { start } = servers;

/** Each prompt's greedy completion from `url`, asking for `model` when given; every response must name `served`. */
async function greedyTexts(url: string, model: string | undefined, served = model): Promise<string[]> {
  const texts: string[] = [];
  for (const prompt of PROMPTS) {
    const response = await postJson(`${url}/v1/completions`, { prompt, max_tokens: 10, temperature: 0, ...(model ? { model } : {}) });
    expect(response.status, JSON.stringify(response.json)).toBe(200);
    expect(response.json.model).toBe(served);
    texts.push(response.json.choices[0].text);
  }
  return texts;
}

describe('a server on a folder of model folders', () => {
  let alone: Record<string, string[]>;
  let both: TestServer;

  beforeAll(async () => {
    alone = {};
    for (const id of ['bot-a', 'bot-b']) {
      const server = await start(join(models, id));
      alone[id] = await greedyTexts(server.url, undefined, id);
    }
    both = await start(models);
  }, 120_000);

  it('answers each model with the greedy text that model gives when served alone', async () => {
    // Two different models: a server that ignored `model` could not pass.
    expect(alone['bot-a']).not.toEqual(alone['bot-b']);
    expect(await greedyTexts(both.url, 'bot-a')).toEqual(alone['bot-a']);
    expect(await greedyTexts(both.url, 'bot-b')).toEqual(alone['bot-b']);
  });

  it('lists both models, sorted, with their graph, and serves the first to requests without a model', async () => {
    const listed = await (await fetch(`${both.url}/v1/models`)).json();
    expect(listed.data.map((m: { id: string }) => m.id)).toEqual(['bot-a', 'bot-b']);
    expect(listed.data[1]).toMatchObject({ object: 'model', graph: { file: 'server_decoder.onnx', dtype: 'fp32' } });
    expect(both.models.map((m) => m.id)).toEqual(['bot-a', 'bot-b']);
    expect(await greedyTexts(both.url, undefined, 'bot-a')).toEqual(alone['bot-a']);
  });

  it('takes model on the gpt-2-cloud-run route too', async () => {
    const response = await postJson(`${both.url}/`, { prompt: PROMPTS[0], length: 10, temperature: 0, include_prefix: false, model: 'bot-b' });
    expect(response.status).toBe(200);
    expect(response.json.text).toBe(alone['bot-b'][0]);
  });

  it('answers an unknown model with 404 model_not_found naming the model and the ones served', async () => {
    for (const path of ['/v1/completions', '/']) {
      const response = await postJson(`${both.url}${path}`, { prompt: 'x', model: 'bot-z' });
      expect(response.status).toBe(404);
      expect(response.json).toEqual({
        error: { message: 'model: "bot-z" is not served here; this server serves "bot-a", "bot-b"', type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
      });
    }
  });

  it('labels its metrics by model', async () => {
    const metrics = await (await fetch(`${both.url}/metrics`)).text();
    expect(metrics).toMatch(/mimicbot_tokens_generated_total\{route="\/v1\/completions",model="bot-a"\} \d+/);
    expect(metrics).toMatch(/mimicbot_tokens_generated_total\{route="\/v1\/completions",model="bot-b"\} \d+/);
    expect(metrics).toContain('mimicbot_queue_depth{model="bot-b"} 0');
    expect(metrics).toContain('mimicbot_http_requests_total{route="/v1/completions",model="bot-a",method="POST",status="200"}');
    // An unknown model is refused before it could become a label.
    expect(metrics).not.toContain('bot-z');
  });

  it('serves DEFAULT_MODEL to requests without a model', async () => {
    const server = await start(models, { DEFAULT_MODEL: 'bot-b' });
    expect(await greedyTexts(server.url, undefined, 'bot-b')).toEqual(alone['bot-b']);
    expect(server.engine).toBe(server.models[1].engine);
  });
});

describe('starting on a folder of model folders', () => {
  const startOn = (dir: string, env: Record<string, string> = {}) =>
    startMimicbotServer(parseConfig({ PORT: '0', MODEL_DIR: dir, THREADS: '1', ...env }), { host: '127.0.0.1' });

  it('refuses a DEFAULT_MODEL that is not served, naming the ones that are, before opening any model', async () => {
    await expect(startOn(models, { DEFAULT_MODEL: 'bot-c' })).rejects.toThrow(
      new DefaultModelError('bot-c', ['bot-a', 'bot-b']),
    );
  });

  it('names the subfolder whose model cannot be opened', async () => {
    const broken = join(root, 'broken');
    await mkdir(join(broken, 'bot-c'), { recursive: true });
    await writeFile(join(broken, 'bot-c', 'config.json'), '{ nope');
    const error = await startOn(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelStartError);
    expect((error as ModelStartError).modelId).toBe('bot-c');
    expect((error as Error).message).toMatch(/^bot-c: .*broken\/bot-c/);
  });
});
