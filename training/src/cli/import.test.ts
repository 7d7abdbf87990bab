import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo, commandRunner } from '@mimicbot/training/testing';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/mimicbot.js');
const runImport = commandRunner('import');

const tweet = (id: number, text: string) => ({ tweet: { id_str: String(id), full_text: text, created_at: 'Mon Sep 16 17:12:53 +0000 2019' } });
const ytd = (name: string, entries: unknown[]) => strToU8(`window.YTD.${name}.part0 = ${JSON.stringify(entries, null, 2)}`);
/** A tweets.js of about `bytes` bytes: distinct posts, so nothing is deduplicated away. */
const tweetsOfSize = (bytes: number, firstId = 1) => ytd('tweets', Array.from({ length: Math.ceil(bytes / 100) }, (_, i) => tweet(firstId + i, `post number ${firstId + i}`)));

/** The `mimicbot` command in a child process with its own working folder, since import's default output is relative to it. */
function runCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 150_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
    });
  });
}

/** Rewrites the uncompressed size an entry's local and central headers claim (fflate writes no data descriptors). */
function claimSize(zip: Uint8Array, entryName: string, size: number): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const name = new TextEncoder().encode(entryName);
  const nameAt = (offset: number) => name.every((b, i) => zip[offset + i] === b);
  for (let i = 0; i + 46 < zip.length; i++) {
    const signature = view.getUint32(i, true);
    if (signature === 0x04034b50 && view.getUint16(i + 26, true) === name.length && nameAt(i + 30)) view.setUint32(i + 22, size, true);
    if (signature === 0x02014b50 && view.getUint16(i + 28, true) === name.length && nameAt(i + 46)) view.setUint32(i + 24, size, true);
  }
  return zip;
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'import-cli-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('mimicbot import', () => {
  it('never writes outside data/: a username from the archive that is not one does not become a path', async () => {
    const work = join(root, 'escape', 'work');
    await mkdir(work, { recursive: true });
    const zip = join(work, 'archive.zip');
    await writeFile(zip, zipSync({ 'data/tweets.js': ytd('tweets', [tweet(2, 'hello there')]), 'data/account.js': ytd('account', [{ account: { username: '../../escaped', accountId: '9' } }]) }));
    const result = await runCli(['import', 'archive.zip'], work);
    expect(result.stderr).toBe('mimicbot: import: the archive\'s username "../../escaped" is not an X username; naming the output after "x"\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('into data/x-archive.jsonl');
    expect(await readdir(join(root, 'escape'))).toEqual(['work']);
    expect((await readdir(work)).sort()).toEqual(['archive.zip', 'data']);
    expect(await readdir(join(work, 'data'))).toEqual(['x-archive.jsonl']);
  });

  it('refuses a zip whose data inflates past the cap, naming the entry and the cap, and writes nothing', async () => {
    const zip = join(root, 'bomb.zip');
    await writeFile(zip, zipSync({ 'data/tweets.js': tweetsOfSize(3_000_000) }));
    const out = join(root, 'bomb.jsonl');
    const io = captureIo();
    expect(await runImport([zip, '--out', out, '--max-mb', '1'], io)).toBe(1);
    expect(io.err()).toBe(
      `mimicbot: ${zip}:data/tweets.js: the archive's data files come to more than 1 MB (the cap, against zip bombs); ` +
        'stopped here. If the archive is real, raise the cap with --max-mb\n',
    );
    expect(existsSync(out)).toBe(false);
    // the same archive under a cap it fits in
    expect(await runImport([zip, '--out', out, '--max-mb', '5'], captureIo())).toBe(0);
  });

  it('applies the same cap to an extracted folder, naming the file', async () => {
    const folder = join(root, 'extracted-bomb');
    await mkdir(join(folder, 'data'), { recursive: true });
    await writeFile(join(folder, 'data', 'tweets.js'), tweetsOfSize(3_000_000));
    const io = captureIo();
    expect(await runImport([folder, '--out', join(root, 'extracted.jsonl'), '--max-mb', '1'], io)).toBe(1);
    expect(io.err()).toMatch(new RegExp(`^mimicbot: ${join(folder, 'data', 'tweets.js').replace(/[.]/g, '\\.')}: the archive's data files come to more than 1 MB`));
  });

  it('counts the cap across the parts of a split archive and names the part that crosses it', async () => {
    const zip = join(root, 'parts.zip');
    const sizes = [0, 1, 2, 3].map((n) => tweetsOfSize(400_000, n * 100_000));
    const parts = Object.fromEntries(sizes.map((bytes, n) => [n === 0 ? 'data/tweets.js' : `data/tweets-part${n}.js`, bytes]));
    await writeFile(zip, zipSync(parts));
    // A cap that the first two parts fit under and the third crosses.
    const capMb = (sizes[0].length + sizes[1].length + sizes[2].length / 2) / 1e6;
    const io = captureIo();
    expect(await runImport([zip, '--out', join(root, 'parts.jsonl'), '--max-mb', String(capMb)], io)).toBe(1);
    expect(io.err()).toMatch(new RegExp(`^mimicbot: ${zip.replace(/[.]/g, '\\.')}:data/tweets-part2\\.js: the archive's data files come to more than [\\d.,]+ MB`));
  });

  it('does not trust the size a zip claims for an entry: one that inflates to more is refused', async () => {
    const zip = join(root, 'liar.zip');
    await writeFile(zip, claimSize(zipSync({ 'data/tweets.js': tweetsOfSize(200_000) }), 'data/tweets.js', 100));
    const io = captureIo();
    expect(await runImport([zip, '--out', join(root, 'liar.jsonl')], io)).toBe(1);
    expect(io.err()).toMatch(new RegExp(`^mimicbot: ${zip.replace(/[.]/g, '\\.')}:data/tweets\\.js: cannot unzip \\(too many bytes in the stream\\. expected 100\\..*\\)\\n$`));
  });

  it('skips a record too long to be a post, reads the rest, and counts what it skipped', async () => {
    const file = join(root, 'long-record', 'tweets.js');
    await mkdir(dirname(file));
    await writeFile(file, ytd('tweets', [tweet(1, 'a fine post'), tweet(2, 'x'.repeat(1_200_000)), tweet(3, 'another fine post')]));
    const io = captureIo();
    const out = join(root, 'long-record.jsonl');
    expect(await runImport([file, '--out', out], io)).toBe(0);
    expect(io.err()).toBe(`mimicbot: ${file}: record 2: longer than 1,000,000 characters; not a post (skipped)\n`);
    expect(io.out()).toContain('imported 2 posts');
    expect(io.out()).toContain('1 records skipped');
    expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(2);
  });
});
