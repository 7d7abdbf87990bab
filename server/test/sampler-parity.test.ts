/**
 * One sampler everywhere: the same seed and settings give the same text through `mimicbot sample` (the real
 * CLI in a child process, on model.onnx and the training package's generation loop) and through the server
 * (the real app over a socket, on server_decoder.onnx and the batching engine), on the same model folder.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, postJson, startTestServer, writeTestModel, type TestServer } from './helpers.js';

// The training package's `mimicbot` command, as npm links it at the workspace root.
const MIMICBOT = fileURLToPath(new URL('../../node_modules/.bin/mimicbot', import.meta.url));

let root: string;
let modelDir: string;
let server: TestServer;

beforeAll(async () => {
  root = await makeTempDir();
  modelDir = await writeTestModel(join(root, 'model'));
  server = await startTestServer(modelDir);
  expect(server.engine.model.graphFile.endsWith('server_decoder.onnx')).toBe(true); // not the CLI's model.onnx
});
afterAll(async () => {
  await server?.shutdown();
  await rm(root, { recursive: true, force: true });
});

interface Settings {
  temperature: number;
  top_k: number;
  top_p: number;
  repetition_penalty: number;
  seed: number;
}

const PROMPT = 'The cat';
/** A child process that starts tsx and onnxruntime: seconds alone, much longer on a machine busy with other tests. */
const CLI_TIMEOUT_MS = 120_000;
const MAX_TOKENS = 24;

function cliText(settings: Settings): Promise<string> {
  const args = [
    'sample', modelDir, '--prompt', PROMPT, '--max-tokens', String(MAX_TOKENS),
    '--temperature', String(settings.temperature), '--top-k', String(settings.top_k), '--top-p', String(settings.top_p),
    '--repetition-penalty', String(settings.repetition_penalty), '--seed', String(settings.seed),
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [MIMICBOT, ...args], { timeout: CLI_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) reject(new Error(`mimicbot sample failed: ${stderr}`));
      else if (!stdout.startsWith(PROMPT)) reject(new Error(`mimicbot sample printed ${JSON.stringify(stdout)}, not the prompt first`));
      else resolve(stdout.slice(PROMPT.length).replace(/\n$/, '')); // the CLI prints the prompt, the text, a newline
    });
  });
}

async function serverText(settings: Settings): Promise<string> {
  const response = await postJson(`${server.url}/v1/completions`, { prompt: PROMPT, max_tokens: MAX_TOKENS, ...settings });
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  return response.json.choices[0].text as string;
}

const SAMPLED: Settings = { temperature: 1, top_k: 0, top_p: 1, repetition_penalty: 1, seed: 7 };

describe('the CLI and the server', () => {
  it.each([
    ['greedy', { ...SAMPLED, temperature: 0 }],
    ['sampled with a seed', SAMPLED],
    ['sampled with every setting on', { temperature: 0.9, top_k: 40, top_p: 0.95, repetition_penalty: 1.3, seed: 11 }],
  ])(
    'say the same text, %s',
    async (_, settings) => {
      const [fromCli, fromServer] = await Promise.all([cliText(settings), serverText(settings)]);
      expect(fromServer.length).toBeGreaterThan(0);
      expect(fromCli).toBe(fromServer);
    },
    CLI_TIMEOUT_MS + 30_000,
  );

  it('give a seed its own text: another seed, or greedy, says something else (so the comparisons above can fail)', async () => {
    const [seven, eight, greedy] = await Promise.all([serverText(SAMPLED), serverText({ ...SAMPLED, seed: 8 }), serverText({ ...SAMPLED, temperature: 0 })]);
    expect(eight).not.toBe(seven);
    expect(seven).not.toBe(greedy);
  });
});
