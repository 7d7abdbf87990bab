import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadModel, type DownloadModelOptions } from './download-model.js';
import { startFakeHub, type FakeHub, type FakeHubOptions, type FakeRepo } from '@mimicbot/training/testing';
import { expectedDigest, fileDigest } from './file-digest.js';
import { HubError } from './hub-error.js';

const CONFIG = new TextEncoder().encode(JSON.stringify({ model_type: 'gpt2', n_layer: 2, n_head: 2, n_embd: 32 }));
const TOKENIZER = new TextEncoder().encode(JSON.stringify({ version: '1.0', model: { type: 'BPE' } }));
const WEIGHTS = randomBytes(300_000); // stands in for model.safetensors; only its bytes matter here

function gpt2Repo(): FakeRepo {
  return {
    commit: '607a30d783dfa663caf39e06633721c8d4cfcd7e',
    revisions: ['main', '607a30d783dfa663caf39e06633721c8d4cfcd7e'],
    files: { 'config.json': CONFIG, 'model.safetensors': WEIGHTS, 'tokenizer.json': TOKENIZER },
    lfs: ['model.safetensors'],
  };
}

describe('downloadModel against a fake hub on 127.0.0.1', () => {
  let dir: string;
  let hub: FakeHub | undefined;
  const start = async (options: Partial<FakeHubOptions> = {}) => {
    hub = await startFakeHub({ repos: { 'openai-community/gpt2': gpt2Repo() }, ...options });
    return hub;
  };
  const download = (overrides: Partial<DownloadModelOptions> = {}) =>
    downloadModel({ model: 'gpt2', endpoint: hub!.url, revision: 'main', outDir: join(dir, 'gpt2'), retryDelayMs: 0, ...overrides });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-'));
  });
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('fetches config, weights and tokenizer, verifying sha256 (LFS) and git blob sha1 (plain files)', async () => {
    await start();
    const progress: number[] = [];
    const result = await download({ token: 'hf_secret', onProgress: (file, received) => file === 'model.safetensors' && progress.push(received) });
    expect(result.repo).toBe('openai-community/gpt2');
    expect((await readFile(join(dir, 'gpt2', 'model.safetensors'))).equals(WEIGHTS)).toBe(true);
    expect(await readFile(join(dir, 'gpt2', 'config.json'))).toEqual(Buffer.from(CONFIG));
    expect((await readdir(join(dir, 'gpt2'))).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
    expect(result.files['model.safetensors']).toMatchObject({ status: 'downloaded', bytes: 300_000, verified: 'sha256' });
    expect(result.files['config.json']).toMatchObject({ status: 'downloaded', verified: 'git-sha1' });
    expect(result.files['merges.txt']).toEqual({ status: 'missing' });
    expect(progress.at(-1)).toBe(300_000);
    expect(progress.every((v, i) => i === 0 || v >= progress[i - 1])).toBe(true);
    // the token goes to the hub, never to the CDN the hub redirects to
    const weights = hub!.requests.filter((r) => r.path.includes('model.safetensors') || r.server === 'cdn');
    expect(weights.map((r) => r.server)).toEqual(['hub', 'cdn']);
    expect(weights[0].authorization).toBe('Bearer hf_secret');
    expect(weights[1].authorization).toBeUndefined();
  });

  it('resumes with Range after the connection drops midway, in the same run', async () => {
    await start({ drops: [{ file: 'model.safetensors', afterBytes: 100_000, times: 1 }] });
    const retries: unknown[] = [];
    const result = await download({ onRetry: (file, info) => retries.push({ file, ...info }) });
    expect(retries).toEqual([{ file: 'model.safetensors', attempt: 2, attempts: 5, kept: 100_000, reason: expect.any(String) }]);
    expect((await readFile(join(dir, 'gpt2', 'model.safetensors'))).equals(WEIGHTS)).toBe(true);
    expect(result.files['model.safetensors']).toMatchObject({ status: 'downloaded', verified: 'sha256' });
    const cdn = hub!.requests.filter((r) => r.server === 'cdn');
    expect(cdn.map((r) => r.range)).toEqual([undefined, 'bytes=100000-']);
  });

  it('keeps the .part when a run gives up, and the next run resumes from it', async () => {
    await start({ drops: [{ file: 'model.safetensors', afterBytes: 120_000, times: 2 }] });
    const error = await download({ attempts: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('HUB_INTERRUPTED');
    expect((error as Error).message).toMatch(/model\.safetensors: download interrupted .* 240000 bytes are kept in .*model\.safetensors\.part, run again to resume/);
    expect((await stat(join(dir, 'gpt2', 'model.safetensors.part'))).size).toBe(240_000); // two tries, 120,000 bytes each

    const result = await download();
    expect(result.files['model.safetensors']).toMatchObject({ status: 'downloaded', resumedFrom: 240_000, verified: 'sha256' });
    expect(result.files['config.json']).toEqual({ status: 'kept' });
    expect((await readFile(join(dir, 'gpt2', 'model.safetensors'))).equals(WEIGHTS)).toBe(true);
    expect(hub!.requests.filter((r) => r.server === 'cdn').at(-1)?.range).toBe('bytes=240000-');
  });

  it('deletes the part and fails when the bytes do not match the hub\'s sha256', async () => {
    await start({ corrupt: ['model.safetensors'] });
    const error = await download().catch((e: unknown) => e);
    expect((error as HubError).code).toBe('HUB_CHECKSUM_MISMATCH');
    expect((error as Error).message).toContain(`sha256 is `);
    expect((error as Error).message).toContain(`the partial file was deleted`);
    // nothing to resume, so nothing is left: not the config.json that did arrive, nor the folder this run made
    expect(existsSync(join(dir, 'gpt2'))).toBe(false);
  });

  it('leaves no folder after a failure it made it for, but keeps a folder that was there, and a partial download to resume', async () => {
    await start();
    await expect(download({ model: 'nobody/nothing', outDir: join(dir, 'a', 'b', 'new') })).rejects.toThrow('the hub refused access (401)');
    expect(await readdir(dir)).toEqual([]); // models/ made for it goes too

    const existing = join(dir, 'mine');
    await mkdir(existing);
    await writeFile(join(existing, 'notes.txt'), 'kept');
    await expect(download({ model: 'nobody/nothing', outDir: existing })).rejects.toThrow('(401)');
    expect(await readdir(existing)).toEqual(['notes.txt']);

    // A connection that breaks after 100,000 bytes of the weights, exactly: the hub's real answer, cut short.
    const cutting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/blobs/') || !response.body) return response;
      let sent = 0;
      const reader = response.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          // The error comes on the read after the last bytes, so that they are delivered first.
          if (sent >= 100_000) return controller.error(new Error('connection reset'));
          const { done, value } = await reader.read();
          if (done) return controller.close();
          const room = 100_000 - sent;
          sent += Math.min(value.byteLength, room);
          controller.enqueue(value.byteLength < room ? value : value.subarray(0, room));
          if (sent >= 100_000) await reader.cancel();
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    await expect(download({ attempts: 1, outDir: join(dir, 'resumable'), fetch: cutting })).rejects.toThrow('100000 bytes are kept');
    expect((await readdir(join(dir, 'resumable'))).sort()).toEqual(['config.json', 'model.safetensors.part']);
  });

  it('follows a renamed repo\'s relative redirect and accepts owner/name', async () => {
    await start({ renamed: { 'old-owner/tiny': 'openai-community/gpt2' } });
    const result = await download({ model: 'old-owner/tiny', outDir: join(dir, 'tiny') });
    expect(result.files['model.safetensors']).toMatchObject({ status: 'downloaded', verified: 'sha256' });
    expect((await readFile(join(dir, 'tiny', 'model.safetensors'))).equals(WEIGHTS)).toBe(true);
  });

  it('says what is wrong: a bad name, an unknown or gated repo, missing weights, an unknown revision', async () => {
    const noWeights = gpt2Repo();
    delete noWeights.files['model.safetensors'];
    await start({ repos: { 'openai-community/gpt2': gpt2Repo(), 'someone/pytorch-only': noWeights } });
    await expect(download({ model: '../etc' })).rejects.toThrow('"../etc" is not a model name');
    await expect(download({ model: 'nobody/nothing' })).rejects.toThrow('nobody/nothing/config.json: the hub refused access (401)');
    await expect(download({ model: 'someone/pytorch-only', outDir: join(dir, 'p') })).rejects.toThrow(
      'someone/pytorch-only: no model.safetensors at revision "main"',
    );
    await expect(download({ revision: 'v9', outDir: join(dir, 'v9') })).rejects.toThrow('no config.json at revision "v9"');
  });

  it('keeps files that are already complete unless forced', async () => {
    await start();
    await download();
    const before = hub!.requests.length;
    const again = await download();
    expect(Object.values(again.files).filter((f) => f.status === 'kept')).toHaveLength(3);
    expect(hub!.requests.length - before).toBe(5); // only the optional files the repo does not have
    await writeFile(join(dir, 'gpt2', 'config.json'), 'stale');
    await download({ force: true });
    expect(await readFile(join(dir, 'gpt2', 'config.json'))).toEqual(Buffer.from(CONFIG));
  });
});

describe('the hub ETag as a checksum', () => {
  it('reads LFS sha256 and git blob sha1 ETags, strong or weak, and ignores anything else', () => {
    const sha = 'a'.repeat(64);
    expect(expectedDigest(`"${sha}"`)).toEqual({ algorithm: 'sha256', hex: sha });
    expect(expectedDigest(`W/"${'B'.repeat(40)}"`)).toEqual({ algorithm: 'git-sha1', hex: 'b'.repeat(40) });
    expect(expectedDigest('"d41d8cd98f00b204e9800998ecf8427e-3"')).toBeUndefined();
    expect(expectedDigest(null)).toBeUndefined();
  });

  it('computes the git blob id the way git does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'digest-'));
    await writeFile(join(dir, 'hello'), 'hello\n');
    // `echo hello | git hash-object --stdin`
    expect(await fileDigest(join(dir, 'hello'), 'git-sha1')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(await fileDigest(join(dir, 'hello'), 'sha256')).toBe('5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03');
    await rm(dir, { recursive: true, force: true });
  });
});
