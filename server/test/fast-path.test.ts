/**
 * The fast path for folders we did not export (service/server-graph-cache.ts): an optimum-layout folder, a
 * quantized one, a Hugging Face checkpoint, served on the server graph built from their weights by the real
 * server over a real socket, with the greedy tokens of the graph they came with; the build kept for the next
 * start, redone when the export changes, and put in MODEL_CACHE_DIR when the folder is read-only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, chown, copyFile, cp, mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeModelFolder, buildByteLevelTokenizer } from '@mimicbot/training';
import { buildGpt2Decoder, quantizeModelFolder, writeOnnxModel } from '@mimicbot/training/onnx';
import { tinyTestModel, writeTinyCheckpoint } from '@mimicbot/training/testing';
import { referenceGreedy, writeLayoutModel } from '@mimicbot/server/testing';
import { buildServer } from '../scripts/build.js';
import { createEngine } from '../src/engine/engine.js';
import type { TokenRequest } from '../src/engine/types.js';
import { prepareServerGraph } from '../src/service/server-graph-cache.js';
import { makeTempDir, postJson, testServers, type TestServer } from './helpers.js';

// Scaled weights: greedy paths differ from prompt to prompt and token to token (a flat model hides mistakes).
const MODEL = tinyTestModel(11, { nEmbd: 64, nHead: 4, nLayer: 3 });
const PROMPTS = [[72, 101, 108, 108, 111], [97], [122, 113, 33, 32, 116]];
const greedyRequest = (promptIds: number[]): TokenRequest => ({ promptIds, maxNewTokens: 10, sampling: { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 }, stopTokenIds: [] });
const quiet = () => undefined;

let root: string;
const servers = testServers();

beforeAll(async () => {
  root = await makeTempDir();
}, 60_000);
afterAll(async () => {
  await servers.shutdown();
  await rm(root, { recursive: true, force: true });
});

const { start } = servers;

/** Greedy tokens of each prompt from an engine on `dir` as it is (createEngine runs no fast path): the export's own graph. */
async function engineGreedy(dir: string, dtype?: 'q4'): Promise<number[][]> {
  const engine = await createEngine({ modelDir: dir, intraOpNumThreads: 1, dtype });
  try {
    expect(engine.model.graph.contract).toBe('standard');
    return await Promise.all(PROMPTS.map(async (ids) => (await engine.generate(greedyRequest(ids))).tokenIds));
  } finally {
    await engine.close();
  }
}

async function serverGreedy(server: TestServer): Promise<number[][]> {
  return Promise.all(PROMPTS.map(async (ids) => (await server.engine.generate(greedyRequest(ids))).tokenIds));
}

async function fileId(path: string): Promise<string> {
  const s = await stat(path);
  return `${s.ino}:${s.mtimeMs}`;
}

describe('the fast path: a folder with only an optimum export', () => {
  let folder: string;
  let exported: number[][];

  beforeAll(async () => {
    folder = (await writeLayoutModel(root, 'transformersjs', MODEL)).dir; // onnx/model.onnx only
    exported = await engineGreedy(folder);
  }, 120_000);

  it("is served on the server graph built from onnx/model.onnx's weights, with the export's greedy tokens", async () => {
    const server = await start(folder);
    expect(server.engine.model.graph).toEqual({ file: 'server_decoder.onnx', contract: 'server', dtype: 'fp32' });
    expect(server.engine.model.graphFile).toBe(join(folder, 'server_decoder.onnx'));
    expect(new Set(exported.map((t) => t.join(','))).size).toBe(PROMPTS.length); // the model is not flat
    expect(await serverGreedy(server)).toEqual(exported);
    expect(exported).toEqual(PROMPTS.map((ids) => referenceGreedy(MODEL, ids, 10)));
    // And over HTTP, the route a client uses.
    const response = await postJson(`${server.url}/`, { prompt: 'Hello', length: 10, temperature: 0 });
    expect(response.status).toBe(200);
    expect(server.results.at(-1)?.result.tokenIds).toEqual(exported[0]);
  });

  it('reuses the built graph on the next start, and rebuilds it when the export changes', async () => {
    const graph = join(folder, 'server_decoder.onnx');
    const before = await fileId(graph);
    expect(await prepareServerGraph(folder, { log: quiet })).toEqual({ dir: folder, outcome: 'reused' });
    const again = await start(folder);
    expect(again.engine.model.graph.file).toBe('server_decoder.onnx');
    expect(await fileId(graph)).toBe(before);

    const later = new Date(Date.now() + 60_000);
    await utimes(join(folder, 'onnx', 'model.onnx'), later, later);
    const lines: string[] = [];
    expect(await prepareServerGraph(folder, { log: (line) => lines.push(line) })).toEqual({ dir: folder, outcome: 'built' });
    expect(await fileId(graph)).not.toBe(before);
    expect(lines[0]).toBe(`fast path: building server_decoder.onnx from onnx/model.onnx in ${folder}`);
    expect(lines.at(-1)).toMatch(/^fast path: server_decoder\.onnx built in \d+ ms \(\d+ MB\)$/);
    // Nothing is left behind but the graph, its weights and its stamp.
    expect((await readdir(folder)).filter((f) => f.startsWith('.'))).toEqual(['.server_decoder.onnx.source.json']);
    expect(await readdir(folder)).toContain('server_decoder.onnx_data');
  });

  it('rebuilds when the weights beside the graph, or the graph itself, are not what it wrote', async () => {
    expect(await prepareServerGraph(folder, { log: quiet })).toEqual({ dir: folder, outcome: 'reused' });
    // A half-copied data file (the graph's own size is unchanged, so only the stamp's data size tells).
    const data = join(folder, 'server_decoder.onnx_data');
    const bytes = await readFile(data);
    await writeFile(data, bytes.subarray(0, bytes.length - 4096));
    expect(await prepareServerGraph(folder, { log: quiet })).toEqual({ dir: folder, outcome: 'built' });
    expect((await stat(data)).size).toBe(bytes.length);
    // Another graph of the same size under the name: only its hash tells.
    const graph = join(folder, 'server_decoder.onnx');
    const proto = await readFile(graph);
    proto[proto.length - 1] ^= 1;
    await writeFile(graph, proto);
    expect(await prepareServerGraph(folder, { log: quiet })).toEqual({ dir: folder, outcome: 'built' });
    expect(await prepareServerGraph(folder, { log: quiet })).toEqual({ dir: folder, outcome: 'reused' });
  });

  it('takes a stamp naming a file out of the folder for no stamp: the graph is served as exported, nothing is read', async () => {
    // A real export outside the folder, so only the stamp's rule (never a path out of the folder) keeps it unread.
    const outside = join(root, 'outside-export');
    await mkdir(outside, { recursive: true });
    await copyFile(join(folder, 'onnx', 'model.onnx'), join(outside, 'model.onnx'));
    const stampFile = join(folder, '.server_decoder.onnx.source.json');
    const stamp = JSON.parse(await readFile(stampFile, 'utf8')) as Record<string, unknown>;
    await writeFile(stampFile, JSON.stringify({ ...stamp, source: '../outside-export/model.onnx' }));
    const lines: string[] = [];
    expect(await prepareServerGraph(folder, { log: (line) => lines.push(line) })).toEqual({ dir: folder, outcome: 'none' });
    expect(lines).toEqual([]);
  });
});

describe('the fast path: a quantized optimum export and a checkpoint', () => {
  it("serves onnx/model_q4.onnx's own 4-bit blocks in the server graph, with the export's greedy tokens", async () => {
    const folder = (await writeLayoutModel(root, 'server', MODEL)).dir;
    await quantizeModelFolder(folder, { bits: 4, blockSize: 32, symmetric: false, keepHead: false });
    for (const f of ['model.onnx', 'server_decoder.onnx', 'server_decoder.onnx_data', 'server_decoder_q4.onnx', 'server_decoder_q4.onnx_data']) await rm(join(folder, f));
    const exported = await engineGreedy(folder, 'q4');
    const server = await start(folder);
    expect(server.engine.model.graph).toEqual({ file: 'server_decoder_q4.onnx', contract: 'server', dtype: 'q4' });
    expect(await serverGreedy(server)).toEqual(exported);
  });

  it('serves a Hugging Face checkpoint (safetensors, no graph) on a server graph built from it', async () => {
    const folder = join(root, 'checkpoint');
    const saved = await writeTinyCheckpoint(folder, { seed: 3, config: { nEmbd: 32, nPositions: 32 } });
    const server = await start(folder);
    expect(server.engine.model.graph).toEqual({ file: 'server_decoder.onnx', contract: 'server', dtype: 'fp32' });
    const { tokenIds } = await server.engine.generate({ ...greedyRequest([1, 2, 3]), maxNewTokens: 8 });
    expect(tokenIds).toEqual(referenceGreedy(saved, [1, 2, 3], 8));
  });

  it('builds a quantized server graph from a checkpoint when MODEL_DTYPE asks, saying how far the quantizing is', async () => {
    const folder = join(root, 'checkpoint-q4');
    await writeTinyCheckpoint(folder, { seed: 4, config: { nEmbd: 32, nPositions: 32 } });
    const lines: string[] = [];
    expect(await prepareServerGraph(folder, { dtype: 'q4', log: (line) => lines.push(line) })).toEqual({ dir: folder, outcome: 'built' });
    expect(lines).toContain('fast path: server_decoder_q4.onnx: quantized 100%');
    expect(lines.at(-1)).toMatch(/^fast path: server_decoder_q4\.onnx built in \d+ ms/);
  });

  it('serves an export whose weights it cannot read as it is, saying why', async () => {
    const folder = join(root, 'foreign-names');
    await writeModelFolder(folder, { ...MODEL, tokenizer: buildByteLevelTokenizer(MODEL.config.nPositions) });
    const model = buildGpt2Decoder(MODEL.config, MODEL.weights);
    model.graph.initializers = model.graph.initializers.map((t) => (t.name === 'wpe.weight' ? { ...t, name: 'onnx::Gather_3' } : t));
    await writeOnnxModel(join(folder, 'model.onnx'), model);
    await rm(join(folder, 'onnx'), { recursive: true });
    const lines: string[] = [];
    expect(await prepareServerGraph(folder, { log: (line) => lines.push(line) })).toEqual({ dir: folder, outcome: 'none' });
    expect(lines.at(-1)).toBe(
      `fast path: ${folder}: no server graph (${join(folder, 'model.onnx')}: no float32 initializer "wpe.weight" (nor "transformer.wpe.weight"); the server graph is built from weights named as GPT-2's checkpoint names them, and this export names them otherwise); serving the folder as it is`,
    );
    expect(await readdir(folder)).not.toContain('server_decoder.onnx');
  });
});

describe('the fast path: a read-only folder', () => {
  // Root writes anywhere, so as root the server runs as nobody (uid 65534), to whom the folder is read-only.
  const asRoot = process.getuid?.() === 0;
  const NOBODY = 65534;
  let entry: string;
  let folder: string;
  let cacheDir: string;

  beforeAll(async () => {
    const outdir = join(import.meta.dirname, '..', '.tmp', `dist-fast-${process.pid}`);
    await buildServer(outdir);
    entry = join(outdir, 'main.js');
    folder = (await writeLayoutModel(join(root, 'read-only'), 'transformersjs', MODEL)).dir; // onnx/model.onnx only
    cacheDir = join(root, 'cache');
    await mkdir(cacheDir);
    if (asRoot) await chown(cacheDir, NOBODY, NOBODY);
    await chmod(root, 0o755);
    for (const dir of [join(folder, 'onnx'), folder]) await chmod(dir, 0o555);
  }, 120_000);
  afterAll(async () => {
    for (const dir of [folder, join(folder, 'onnx')]) await chmod(dir, 0o755).catch(() => undefined);
    await rm(join(entry, '..'), { recursive: true, force: true });
  });

  function startProcess(env: Record<string, string>): { child: ChildProcess; stderr: () => string; port: Promise<number> } {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH, THREADS: '1', PORT: '0', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    let stderr = '';
    const port = new Promise<number>((resolve, reject) => {
      child.stderr?.on('data', (data: Buffer) => {
        stderr += data.toString();
        const match = /ready on port (\d+)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
      child.on('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
    });
    return { child, stderr: () => stderr, port };
  }

  async function greedyText(port: number): Promise<string> {
    const response = await postJson(`http://127.0.0.1:${port}/`, { prompt: 'Hello', length: 10, temperature: 0 });
    expect(response.status).toBe(200);
    return response.json.text as string;
  }

  it('builds the server graph into MODEL_CACHE_DIR, reuses it on the next start, and leaves the folder as it was', async () => {
    const filesBefore = await readdir(folder);
    const expected = await start(await copyOf(folder)).then((s) => postJson(`${s.url}/`, { prompt: 'Hello', length: 10, temperature: 0 }));

    const first = startProcess({ MODEL_DIR: folder, MODEL_CACHE_DIR: cacheDir });
    try {
      const port = await first.port;
      expect(first.stderr()).toContain(`fast path: ${folder} is read-only: building server_decoder.onnx from onnx/model.onnx in ${cacheDir}/transformersjs-`);
      expect(first.stderr()).toMatch(/ready on port \d+ in \d+ ms: server_decoder\.onnx \(fp32,/);
      expect(await greedyText(port)).toBe(expected.json.text);
    } finally {
      first.child.kill('SIGTERM');
    }
    const entries = await readdir(cacheDir);
    expect(entries).toHaveLength(1);
    expect((await readdir(join(cacheDir, entries[0]))).sort()).toEqual(['config.json', 'generation_config.json', 'server_decoder.onnx', 'server_decoder.onnx_data']);

    const second = startProcess({ MODEL_DIR: folder, MODEL_CACHE_DIR: cacheDir });
    try {
      await second.port;
      expect(second.stderr()).not.toContain('fast path');
      expect(second.stderr()).toMatch(/server_decoder\.onnx \(fp32,/);
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await readdir(folder)).toEqual(filesBefore);
  });

  it('without MODEL_CACHE_DIR serves the export as it is and says how to get the fast path', async () => {
    const server = startProcess({ MODEL_DIR: folder });
    try {
      await server.port;
      expect(server.stderr()).toContain(`fast path: ${folder} is read-only and MODEL_CACHE_DIR is unset, so its onnx/model.onnx is served as it is`);
      expect(server.stderr()).toMatch(/ready on port \d+ in \d+ ms: onnx\/model\.onnx \(fp32,/);
    } finally {
      server.child.kill('SIGTERM');
    }
  });
});

/** A writable copy of a folder (for the in-process server the read-only one is compared with). */
async function copyOf(dir: string): Promise<string> {
  const copy = `${dir}-copy`;
  await cp(dir, copy, { recursive: true });
  for (const d of [copy, join(copy, 'onnx')]) await chmod(d, 0o755);
  return copy;
}
