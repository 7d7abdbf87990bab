/**
 * The bad-input cases, end to end: the real CLI in a child process (tsx, as `npm run convert` runs it).
 * Each must end with exit code 1, exactly one stderr line `mimicbot: <file>: <problem>`, and no output folder
 * (nor a temporary one beside it).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyCheckpoint } from '@mimicbot/training/testing';
import { openSafetensors, writeSafetensors, type TensorToWrite } from '../safetensors/index.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { timeout: 150_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
    });
  });
}

async function editJson(file: string, edit: (json: Record<string, unknown>) => void): Promise<void> {
  const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  await writeFile(file, JSON.stringify(json));
}

/** Each case: a name, how to spoil a good checkpoint folder, and the expected line after `mimicbot: `. */
const cases: [string, (ck: string) => Promise<void>, (ck: string) => RegExp][] = [
  [
    'a truncated safetensors file',
    async (ck) => truncate(join(ck, 'model.safetensors'), 3000),
    (ck) => lineFor(join(ck, 'model.safetensors'), 'truncated: tensor "[^"]+" ends at byte \\d+ but the file has 3000 bytes'),
  ],
  [
    'a safetensors file with a corrupt header',
    async (ck) => {
      const file = join(ck, 'model.safetensors');
      const bytes = await readFile(file);
      bytes.write('#', 8); // the header's opening brace
      await writeFile(file, bytes);
    },
    (ck) => lineFor(join(ck, 'model.safetensors'), 'corrupt header: not valid JSON .*'),
  ],
  [
    'a missing config key',
    async (ck) => editJson(join(ck, 'config.json'), (json) => delete json.n_embd),
    (ck) => lineFor(join(ck, 'config.json'), 'missing key "n_embd" \\(GPT-2 124M has "n_embd": 768\\)'),
  ],
  [
    'a tensor of the wrong shape',
    async (ck) => editJson(join(ck, 'config.json'), (json) => (json.n_positions = 32)),
    (ck) => lineFor(join(ck, 'model.safetensors'), 'tensor "transformer.wpe.weight" has shape \\[16, 16\\] but .*config.json .* needs \\[32, 16\\]'),
  ],
  [
    'an unknown model_type',
    async (ck) => editJson(join(ck, 'config.json'), (json) => (json.model_type = 'llama')),
    (ck) => lineFor(join(ck, 'config.json'), 'model_type "llama" is not supported \\(only "gpt2"\\)'),
  ],
  [
    'only a pytorch_model.bin',
    async (ck) => {
      await rm(join(ck, 'model.safetensors'));
      await writeFile(join(ck, 'pytorch_model.bin'), 'PK\u0003\u0004');
    },
    (ck) => lineFor(join(ck, 'pytorch_model.bin'), 'only safetensors weights can be converted; make model.safetensors once with Python: python -c ".*save_pretrained\\(.*safe_serialization=True\\)"'),
  ],
  [
    'an lm_head that is not tied to wte',
    async (ck) => {
      const file = join(ck, 'model.safetensors');
      const reader = await openSafetensors(file);
      const tensors = new Map<string, TensorToWrite>();
      for (const { name, shape } of reader.tensors.values()) tensors.set(name, { shape, data: await reader.read(name) });
      await reader.close();
      const wte = tensors.get('transformer.wte.weight')!;
      tensors.set('lm_head.weight', { shape: wte.shape, data: wte.data.map((x) => -x) });
      await writeSafetensors(file, tensors);
    },
    (ck) => lineFor(join(ck, 'model.safetensors'), '"lm_head.weight" differs from wte.weight \\(first at element 0\\); only GPT-2 with its head tied to wte is supported'),
  ],
  ['a checkpoint folder that does not exist', async (ck) => rm(ck, { recursive: true }), (ck) => lineFor(ck, 'no such folder')],
];

function lineFor(file: string, problem: string): RegExp {
  return new RegExp(`^mimicbot: ${escape(file)}: ${problem}\\n$`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let root: string;
const results = new Map<string, { result: CliResult; checkpoint: string; parent: string }>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mimicbot-convert-cli-'));
  // Spawn every case at once: each is mostly tsx start-up time (the generous timeouts are for a loaded machine).
  await Promise.all(
    cases.map(async ([name, spoil], i) => {
      const parent = join(root, `case-${i}`);
      await mkdir(parent);
      const checkpoint = join(parent, 'checkpoint');
      await writeTinyCheckpoint(checkpoint);
      await spoil(checkpoint);
      results.set(name, { result: await runCli(['convert', checkpoint, join(parent, 'out')]), checkpoint, parent });
    }),
  );
}, 300_000);

afterAll(() => rm(root, { recursive: true, force: true }));

describe('mimicbot convert with bad input', () => {
  it.each(cases)('%s: one line naming the file, exit 1, no output folder', async (name, _spoil, expected) => {
    const { result, checkpoint, parent } = results.get(name)!;
    expect(result.stderr).toMatch(expected(checkpoint));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect((await readdir(parent)).filter((entry) => entry.includes('out'))).toEqual([]);
  });
});

describe('mimicbot', () => {
  it('converts a good checkpoint and says what it wrote', async () => {
    const checkpoint = join(root, 'good');
    await writeTinyCheckpoint(checkpoint);
    const out = join(root, 'good-out');
    const result = await runCli(['convert', checkpoint, out]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^wrote ${escape(out)}: GPT-2 2 layers`));
    expect(await readdir(out)).toContain('model.onnx');
  });

  it('names an unknown command and exits 2', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mimicbot: unknown command "frobnicate"\nusage: mimicbot <command>.*\n\ncommands:\n( {2}\w+ +\w.*\n){9}/);
  });
});
