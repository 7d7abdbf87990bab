/**
 * The README promises one line, `mimicbot: <file>: <problem>`, for anything a user can get wrong. These are
 * the easy mistakes: a folder of the wrong kind (train writes a checkpoint, export a model folder, download a
 * Hugging Face checkpoint), a file where a folder goes and the other way round. Each must end in one line
 * saying what to do, a non-zero exit, and no stack trace.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { captureIo, startFakeX, writeTinyCheckpoint, type FakeX } from '@mimicbot/training/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';

let root: string;
let fakeX: FakeX;
const at = (...parts: string[]) => join(root, ...parts);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-mistakes-'));
  fakeX = await startFakeX({ bearerToken: 'token', users: [{ id: '7', username: 'someone', tweets: [{ id: '1', text: 'hi there', created_at: '2026-01-01T00:00:00.000Z' }] }] });
  await mkdir(at('data'));
  await writeFile(at('data/train.txt'), 'a post<|endoftext|>another post<|endoftext|>');
  await writeFile(at('posts.jsonl'), `${JSON.stringify({ id: '1', text: 'a post of mine' })}\n`);
  await writeFile(at('archive.zip'), zipSync({ 'data/like.js': strToU8('window.YTD.like.part0 = []') }));
  await mkdir(at('folder'));
  await writeTinyCheckpoint(at('hf'));
  const quiet = captureIo();
  expect(await main(['init', at('model')], quiet), quiet.err()).toBe(0);
  const tiny = ['--layers', '1', '--heads', '2', '--embd', '16', '--positions', '32', '--batch', '2', '--seq', '16', '--threads', '1', '--samples', '0'];
  expect(await main(['train', '--data', at('data'), '--out', at('run'), ...tiny, '--steps', '1'], quiet), quiet.err()).toBe(0);
  await mkdir(at('broken-run/checkpoint'), { recursive: true });
  await writeFile(at('broken-run/checkpoint/trainer_state.json'), '{"step": 3, "trunc');
}, 120_000);
afterAll(async () => {
  await fakeX.close();
  await rm(root, { recursive: true, force: true });
});

/** Each: what the user typed (after `mimicbot`), and what the one line must say. */
const mistakes: [string, () => string[], RegExp][] = [
  ['sample a Hugging Face checkpoint', () => ['sample', at('hf')], /hf: is a Hugging Face checkpoint; convert it first/],
  ['sample a file', () => ['sample', at('posts.jsonl')], /posts\.jsonl: is a file; sample takes a model folder \(what export, convert or init write\)/],
  ['sample an empty folder', () => ['sample', at('folder')], /folder\/config\.json: missing: is this a model folder\?/],
  ['export a model folder', () => ['export', at('model'), at('out-1')], /model.*model\.safetensors|model: .*checkpoint/],
  ['convert a model folder', () => ['convert', at('model'), at('out-2')], /model.*(safetensors|checkpoint)/],
  ['train on a JSONL file instead of the dataset folder', () => ['train', '--data', at('posts.jsonl'), '--out', at('out-3')], /posts\.jsonl\/train\.txt: cannot read it \(ENOTDIR\); run `prepare` first/],
  ['train from a run folder', () => ['train', '--data', at('data'), '--out', at('out-4'), '--from', at('run')], /--from .*run is a training run; start from its checkpoint: --from .*run\/checkpoint/],
  ['train from a model folder', () => ['train', '--data', at('data'), '--out', at('out-5'), '--from', at('model')], /--from .*model is a model folder \(ONNX\)/],
  ['resume a cut-off checkpoint', () => ['train', '--data', at('data'), '--out', at('broken-run'), '--resume'], /broken-run\/checkpoint: no model\.safetensors/],
  ['import a JSONL file', () => ['import', at('posts.jsonl')], /posts\.jsonl: not an X archive/],
  ['import a zip with no tweets', () => ['import', at('archive.zip'), '--out', at('x.jsonl')], /archive\.zip: no data\/tweets\.js/],
  ['prepare an archive', () => ['prepare', at('archive.zip')], /archive\.zip: is a zip archive, not JSONL/],
  ['prepare a missing file', () => ['prepare', at('nope.jsonl')], /nope\.jsonl: no such file or folder/],
  ['init over a file', () => ['init', at('posts.jsonl')], /posts\.jsonl: already exists/],
  ['download into a file', () => ['download', 'gpt2', '--out', at('posts.jsonl')], /posts\.jsonl: (already exists|not a folder)/],
  ['fetch into a folder', () => ['fetch', 'someone', '--out', at('folder')], /folder: is a folder, expected a file/],
];

describe('easy mistakes', () => {
  it.each(mistakes)('%s: one line, no stack, non-zero exit', async (_name, argv, expected) => {
    // No network is reached: X is a local fake, and the hub a closed port.
    const io = captureIo({ env: { HF_ENDPOINT: 'http://127.0.0.1:9', X_BEARER_TOKEN: 'token', X_API_URL: fakeX.url } });
    const args = argv();
    const code = await main(args, io);
    // fetch reports its progress on stderr before it fails; otherwise the error is all there is
    const lines = io.err().split('\n').filter((line) => args[0] !== 'fetch' || line === '' || line.startsWith('mimicbot: '));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^mimicbot: /);
    expect(lines[0]).toMatch(expected);
    expect(lines[1]).toBe('');
    expect(io.err()).not.toContain('internal error');
    expect(code).not.toBe(0);
  });
});
