import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo, commandRunner, startFakeHub, startFakeX, type FakeHub } from '@mimicbot/training/testing';

const runFetch = commandRunner('fetch');
const runImport = commandRunner('import');
const runPrepare = commandRunner('prepare');
const runDownload = commandRunner('download');
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'data-cli-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the data commands', () => {
  it('fetch writes JSONL from X (X_API_URL), says the API stops at 3,200, and keeps the token out of errors', async () => {
    const tweets = Array.from({ length: 12 }, (_, i) => ({ id: String(100 + i), text: `post ${i} from the api`, created_at: '2026-01-01T00:00:00.000Z' }));
    const fake = await startFakeX({ bearerToken: 'tok-123', users: [{ id: '7', username: 'someone', tweets }] });
    try {
      const out = join(root, 'someone.jsonl');
      const io = captureIo({ env: { X_BEARER_TOKEN: 'tok-123', X_API_URL: fake.url } });
      expect(await runFetch(['@someone', '--out', out], io)).toBe(0);
      expect(io.err()).toContain("X's API returns only the newest 3,200 posts");
      expect(io.out()).toBe(`fetched @someone: 12 new posts, 12 in ${out}\n`);
      expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(12);

      const bad = captureIo({ env: { X_BEARER_TOKEN: 'wrong-secret', X_API_URL: fake.url } });
      expect(await runFetch(['someone', '--out', join(root, 'b.jsonl')], bad)).toBe(1);
      expect(bad.err().trim().split('\n').at(-1)).toBe('mimicbot: fetch: X refused the bearer token (401: Unauthorized); check X_BEARER_TOKEN');
      expect(bad.err()).not.toContain('wrong-secret');

      const other = captureIo({ env: { X_BEARER_TOKEN: 'tok-123', X_API_URL: fake.url } });
      expect(await runFetch(['someone_else', '--out', out], other)).toBe(1);
      expect(other.err().trim().split('\n').at(-1)).toBe(
        `mimicbot: fetch: ${out}.state.json: belongs to @someone, not @someone_else; write to another file, or delete it to start over (or pass another --out)`,
      );

      const none = captureIo();
      expect(await runFetch(['someone'], none)).toBe(2);
      expect(none.err()).toContain('mimicbot: fetch: X_BEARER_TOKEN is not set');
    } finally {
      await fake.close();
    }
  });

  it('import turns an archive zip into JSONL, named after the account', async () => {
    const tweet = (id: string, text: string) => ({ tweet: { id_str: id, full_text: text, created_at: 'Mon Sep 16 17:12:53 +0000 2019' } });
    const zip = join(root, 'twitter-archive.zip');
    await writeFile(
      zip,
      zipSync({
        'data/tweets.js': strToU8(`window.YTD.tweets.part0 = ${JSON.stringify([tweet('2', 'hello from the archive &amp; more'), tweet('3', 'RT @x: nope')])}`),
        'data/account.js': strToU8(`window.YTD.account.part0 = [{"account":{"username":"arch","accountId":"9"}}]`),
      }),
    );
    const io = captureIo();
    const out = join(root, 'arch.jsonl');
    expect(await runImport([zip, '--out', out], io)).toBe(0);
    expect(io.out()).toContain(`imported 1 posts from 1 file(s) into ${out}: 1 retweets and 0 replies to others left out`);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual({ id: '2', created_at: '2019-09-16T17:12:53.000Z', text: 'hello from the archive &amp; more' });

    const wrong = captureIo();
    expect(await runImport([join(root, 'arch.jsonl')], wrong)).toBe(1);
    expect(wrong.err()).toBe(`mimicbot: ${join(root, 'arch.jsonl')}: not an X archive: expected the .zip from "Download your data", its data/tweets.js, or the extracted folder\n`);
  });

  it('prepare writes the dataset, reports bad lines as file:line, and prints counts and token statistics', async () => {
    const good = join(root, 'good.jsonl');
    await writeFile(good, Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: String(i + 1), created_at: '', text: `Hello world number ${i}` })).join('\n'));
    const messy = join(root, 'messy.jsonl');
    await writeFile(messy, `${JSON.stringify({ id: '900', text: 'a fine post here' })}\n{"id": "901", "text": "broken\n${JSON.stringify({ id: '902', text: 'RT @x: no' })}\n`);
    const io = captureIo();
    const out = join(root, 'dataset');
    expect(await runPrepare([good, messy, '--out', out, '--valid', '0.2'], io)).toBe(0);
    expect(io.err()).toMatch(new RegExp(`^mimicbot: ${messy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not valid JSON \\(.*\\) \\(skipped\\)\n$`));
    expect(io.out()).toContain('read 32 posts from 2 file(s) (1 bad lines skipped); kept 31; left out retweets 1, replies 0, near-empty 0, too long 0, duplicates 0');
    expect(io.out()).toMatch(/train: \d+ posts, [\d,]+ tokens \(with one <\|endoftext\|> each\), per post mean [\d.]+, p95 \d+, max \d+/);
    expect(io.out()).toContain('tokens counted with gpt2');
    const summary = JSON.parse(await readFile(join(out, 'dataset.json'), 'utf8'));
    expect(summary.counts.train + summary.counts.valid).toBe(31);

    const zip = captureIo();
    expect(await runPrepare([join(root, 'twitter-archive.zip')], zip)).toBe(1);
    expect(zip.err()).toContain('twitter-archive.zip: is a zip archive, not JSONL');
    const missing = captureIo();
    expect(await runPrepare([join(root, 'nope.jsonl')], missing)).toBe(1);
    expect(missing.err()).toBe(`mimicbot: ${join(root, 'nope.jsonl')}: no such file or folder\n`);
  });

  it('download fetches a checkpoint from HF_ENDPOINT and names the problem when it cannot', async () => {
    const weights = new Uint8Array(50_000).map((_, i) => i % 251);
    const hub: FakeHub = await startFakeHub({
      repos: {
        'distilbert/distilgpt2': {
          commit: 'abcdef0123456789abcdef0123456789abcdef01',
          revisions: ['main'],
          files: { 'config.json': strToU8('{"model_type":"gpt2"}'), 'model.safetensors': weights },
          lfs: ['model.safetensors'],
        },
      },
    });
    try {
      const io = captureIo({ env: { HF_ENDPOINT: hub.url } });
      const out = join(root, 'distilgpt2');
      expect(await runDownload(['distilgpt2', '--out', out], io)).toBe(0);
      expect(io.out()).toBe(`downloaded distilbert/distilgpt2@main (commit abcdef012345) into ${out}\n`);
      expect(io.err()).toContain('model.safetensors: 0.1 MB, sha256 verified');
      expect((await readFile(join(out, 'model.safetensors'))).equals(Buffer.from(weights))).toBe(true);

      const bad = captureIo({ env: { HF_ENDPOINT: hub.url, HF_TOKEN: 'hf_topsecret' } });
      expect(await runDownload(['nobody/none', '--out', join(root, 'none')], bad)).toBe(1);
      expect(bad.err()).toBe('mimicbot: download: nobody/none/config.json: the hub refused access (401); the repo may be private or gated: set HF_TOKEN\n');
      // nothing of the failed download is left: no empty models/none/ to mistake for a model
      expect(existsSync(join(root, 'none'))).toBe(false);
      const usage = captureIo();
      expect(await runDownload([], usage)).toBe(2);
      expect(usage.err()).toContain('usage: mimicbot download <model>');
    } finally {
      await hub.close();
    }
  });
});
