import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo, commandRunner } from '@mimicbot/training/testing';

const runPrepare = commandRunner('prepare');
const post = (id: number, text: string) => JSON.stringify({ id: String(id), created_at: '', text });
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let root: string;
let good: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'prepare-cli-'));
  good = join(root, 'good.jsonl');
  await writeFile(good, Array.from({ length: 20 }, (_, i) => post(i + 1, `a good post, number ${i}`)).join('\n'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('mimicbot prepare', () => {
  it('skips a line over 1 MB as file:line without reading it into a post, and keeps the rest', async () => {
    const file = join(root, 'long-line.jsonl');
    // A real post of 300,000 words: valid JSON, so only the line limit keeps it out.
    const long = post(2, 'word '.repeat(300_000));
    await writeFile(file, [post(1, 'the first post here'), long, post(3, 'the third post here')].join('\n'));
    const io = captureIo();
    expect(await runPrepare([file, '--out', join(root, 'long-line')], io)).toBe(0);
    const bytes = Buffer.byteLength(long).toLocaleString('en');
    expect(io.err()).toBe(`mimicbot: ${file}:2: longer than 1,000,000 bytes (${bytes}); not a post (skipped)\n`);
    expect(io.out()).toContain('read 2 posts from 1 file(s) (1 bad lines skipped); kept 2');
  });

  it('leaves out a post longer than X allows (25,000 characters), before counting its tokens', async () => {
    const file = join(root, 'too-long.jsonl');
    await writeFile(file, [post(1, 'the first post here'), post(2, 'x'.repeat(30_000)), post(3, 'the third post here')].join('\n'));
    const io = captureIo();
    expect(await runPrepare([file, '--out', join(root, 'too-long')], io)).toBe(0);
    expect(io.out()).toContain('kept 2; left out retweets 0, replies 0, near-empty 0, too long 1, duplicates 0');
    const summary = JSON.parse(await readFile(join(root, 'too-long', 'dataset.json'), 'utf8'));
    expect(summary.counts.dropped['too-long']).toBe(1);
  });

  it('skips a folder among its files with a line naming it (prepare data/* catches data/dataset/)', async () => {
    const folder = join(root, 'dataset-folder');
    await mkdir(folder);
    const io = captureIo();
    expect(await runPrepare([good, folder, '--out', join(root, 'with-folder')], io)).toBe(0);
    expect(io.err()).toBe(`mimicbot: ${folder}: is a folder, skipped (prepare reads JSONL files)\n`);
    expect(io.out()).toContain('read 20 posts from 1 file(s)');
    const only = captureIo();
    expect(await runPrepare([folder], only)).toBe(2);
    expect(only.err()).toMatch(new RegExp(`^mimicbot: ${escape(folder)}: is a folder, skipped .*\\nmimicbot: prepare: no files to read: every argument is a folder\\n$`));
  });

  it('shows the first 20 bad lines and counts the rest', async () => {
    const file = join(root, 'many-bad.jsonl');
    await writeFile(file, [post(1, 'one good post'), ...Array.from({ length: 30 }, (_, i) => `{"id": "${i}", oops`)].join('\n'));
    const io = captureIo();
    expect(await runPrepare([file, '--out', join(root, 'many-bad')], io)).toBe(0);
    const lines = io.err().trim().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toMatch(new RegExp(`^mimicbot: ${escape(file)}:2: not valid JSON`));
    expect(lines[20]).toBe('mimicbot: ... and 10 more bad lines (skipped)');
    expect(io.out()).toContain('(30 bad lines skipped)');
  });
});
