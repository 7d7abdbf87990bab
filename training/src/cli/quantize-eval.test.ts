import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphFilesOf } from '../onnx/quantize/graph-files.js';
import { captureIo, commandRunner, writeTinyCheckpoint } from '@mimicbot/training/testing';
import { parseQuantizeList } from './export.js';
import { QUANTIZE_SPEC_OPTIONS, quantizeSpecFromOptions } from './quantize-options.js';

const runInit = commandRunner('init');
const runQuantize = commandRunner('quantize');
const runEval = commandRunner('eval');
const runExport = commandRunner('export');
const GRAPH_FILES = { q4: graphFilesOf('q4'), q8: graphFilesOf('q8') };
const noSpecOptions = { block: QUANTIZE_SPEC_OPTIONS.block.default, 'keep-head': false, symmetric: false };

let root: string;
const model = () => join(root, 'model');
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'quantize-cli-'));
  expect(await runInit([model(), '--seed', '4', '--quiet'])).toBe(0);
  await mkdir(join(root, 'data'));
  await writeFile(join(root, 'data/valid.txt'), ['the cat sat on the mat.', 'a bird sang in the tree.', 'never trust a cat.'].map((p) => `${p}<|endoftext|>`).join(''));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('quantize', () => {
  it('adds the q4 and q8 graphs under transformers.js\'s and the server\'s names, leaving no staging folder', async () => {
    for (const bits of ['4', '8']) {
      const io = captureIo();
      expect(await runQuantize([model(), '--bits', bits], io), io.err()).toBe(0);
      const files = bits === '4' ? GRAPH_FILES.q4 : GRAPH_FILES.q8;
      // The server's graph keeps its weights in external data beside it (onnxruntime maps them); the standard one is one file.
      expect(io.out()).toBe(`wrote ${files.standard}, ${files.server}, ${files.server}_data in ${model()} (q${bits} block 32 asymmetric, head q${bits})\n`);
      expect(existsSync(join(model(), files.standard))).toBe(true);
      expect(existsSync(join(model(), files.server))).toBe(true);
      expect((await stat(join(model(), `${files.server}_data`))).size).toBeGreaterThan((await stat(join(model(), files.server))).size);
    }
    expect(GRAPH_FILES.q4.standard).toBe('onnx/model_q4.onnx');
    expect(GRAPH_FILES.q8.standard).toBe('onnx/model_quantized.onnx');
    expect((await readdir(model())).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('reads its options into a spec', () => {
    expect(quantizeSpecFromOptions(4, { block: '64', 'keep-head': true, symmetric: true })).toEqual({ bits: 4, blockSize: 64, symmetric: true, keepHead: true });
    expect(quantizeSpecFromOptions(4, { ...noSpecOptions, 'head-bits': '8' })).toEqual({ bits: 4, blockSize: 32, symmetric: false, keepHead: false, headBits: 8 });
  });

  it.each([
    [['m'], '--bits 8|4 is required'],
    [['m', '--bits', '2'], '--bits must be "8" or "4", got "2"'],
    [['m', '--bits', '4', '--block', '48'], '--block must be one of "16", "32", "64", "128", got "48"'],
    [['a', 'b', '--bits', '4'], 'expected <model-dir>, got "a" "b"'],
    [['m', '--bits', '4', '--keep-head', '--head-bits', '8'], '--keep-head keeps the head in fp32; drop --head-bits'],
    [['m', '--bits', '4', '--head-bits', '6'], '--head-bits must be "8" or "4", got "6"'],
  ])('rejects %j with one line naming the problem, exit 2', async (argv, problem) => {
    const io = captureIo();
    expect(await runQuantize(argv, io)).toBe(2);
    expect(io.err().split('\n')[0]).toBe(`mimicbot: quantize: ${problem}`);
  });

  it('says in one line when a folder has no fp32 graph to read the weights from', async () => {
    const bare = join(root, 'bare');
    await mkdir(bare);
    await writeFile(join(bare, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_layer: 1, n_head: 2, n_embd: 32, n_positions: 16, vocab_size: 257, bos_token_id: 256, eos_token_id: 256 }));
    const io = captureIo();
    expect(await runQuantize([bare, '--bits', '4'], io)).toBe(1);
    expect(io.err()).toBe(`mimicbot: ${bare}: no model.onnx or onnx/model.onnx: the fp32 graph is where the weights are read from\n`);
  });
});

describe('eval', () => {
  it('scores every dtype in the folder on the same text and compares each with fp32', async () => {
    const io = captureIo();
    expect(await runEval([model(), '--data', join(root, 'data'), '--new-tokens', '8'], io), io.err()).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/valid\.txt: 3 posts, \d+ tokens, 65 bytes, windows of 64$/);
    expect(lines[1]).toMatch(/^dtype\s+graph\s+perplexity\s+bits\/byte\s+vs fp32\s+top-1 = fp32\s+greedy = fp32$/);
    expect(lines[2]).toMatch(/^fp32\s+model\.onnx\s+[\d.]+\s+[\d.]+\s+-\s+-\s+-$/);
    expect(lines[3]).toMatch(/^q8\s+onnx\/model_quantized\.onnx\s+[\d.]+\s+[\d.]+\s+[+-][\d.]+%\s+[\d.]+%\s+[\d.]+% \(\d+\/16 identical\)$/);
    expect(lines[4]).toMatch(/^q4\s+onnx\/model_q4\.onnx/);
  });

  it('gives the numbers as JSON with --json, bits per byte from the same nats as perplexity', async () => {
    const io = captureIo();
    expect(await runEval([model(), '--data', join(root, 'data/valid.txt'), '--json', '--new-tokens', '4'], io), io.err()).toBe(0);
    const json = JSON.parse(io.out()) as { tokens: number; bytes: number; results: { dtype: string; perplexity: number; bitsPerByte: number }[] };
    expect(json.results.map((r) => r.dtype)).toEqual(['fp32', 'q8', 'q4']);
    for (const r of json.results) expect(r.bitsPerByte).toBeCloseTo((json.tokens * Math.log(r.perplexity)) / (json.bytes * Math.LN2), 6);
  });

  it('names a dataset folder without valid.txt, and a missing --data, in one line', async () => {
    const empty = join(root, 'empty-data');
    await mkdir(empty);
    const io = captureIo();
    expect(await runEval([model(), '--data', empty], io)).toBe(1);
    expect(io.err()).toBe(`mimicbot: ${join(empty, 'valid.txt')}: missing: a dataset folder is read for its valid.txt (what \`prepare\` writes)\n`);
    const usage = captureIo();
    expect(await runEval([model()], usage)).toBe(2);
    expect(usage.err().split('\n')[0]).toMatch(/^mimicbot: eval: --data is required: a text file of posts/);
  });
});

describe('export --quantize', () => {
  it('writes the fp32 folder and the quantized graphs in one go', async () => {
    const checkpoint = join(root, 'checkpoint');
    await writeTinyCheckpoint(checkpoint, { config: { nEmbd: 32 } });
    const out = join(root, 'exported');
    const io = captureIo();
    expect(await runExport([checkpoint, out, '--quantize', '4,8', '--block', '16', '--quiet'], io), io.err()).toBe(0);
    for (const file of ['model.onnx', 'server_decoder.onnx', GRAPH_FILES.q4.standard, GRAPH_FILES.q4.server, GRAPH_FILES.q8.standard, GRAPH_FILES.q8.server]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
  });

  it('refuses quantization options without --quantize, and bit widths other than 8 and 4', async () => {
    const io = captureIo();
    expect(await runExport(['c', 'm', '--block', '16'], io)).toBe(2);
    expect(io.err()).toBe('mimicbot: export: --block, --keep-head, --head-bits and --symmetric go with --quantize 8|4\n');
    expect(() => parseQuantizeList('3', noSpecOptions)).toThrow('--quantize must be 8, 4 or 8,4, got "3"');
    expect(parseQuantizeList('4,4', noSpecOptions)).toEqual([4]);
    expect(parseQuantizeList('8, 4', noSpecOptions)).toEqual([8, 4]);
  });
});
