/**
 * `npm run bench:hostile -w training`: what hostile or broken input costs `import` and `prepare`, in wall time
 * and peak memory (the child process's maximum resident set size, from GNU time), each run as a user runs it
 * (`node bin/mimicbot.js ...`). The inputs are built once into --work (default /tmp/mimicbot-hostile):
 *
 * - bomb.zip: ~2.3 MB holding one 2.3 GB data/tweets.js (one post repeated);
 * - parts.zip: ~2.8 MB holding four 700 MB parts (tweets.js, tweets-part1..3.js);
 * - line-1g.jsonl, line-400m.jsonl: one line of 1 GB / 400 MB (a post of words), then a few good posts;
 * - word-5m.jsonl: a one-word post of 5 MB, then a few good posts;
 * - word-900k.jsonl, word-25k.jsonl: one-word posts of 900,000 and 25,000 characters (the longest X allows).
 *
 * `--before <checkout>` also runs another checkout's CLI (e.g. `git worktree add /tmp/before <commit>`, with
 * its node_modules) on the same inputs, as the peer, and prints the ratios. `--timeout S` bounds each run
 * (default 600 s). Needs GNU time at /usr/bin/time and ~5 GB free in --work.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Zip, ZipDeflate } from 'fflate';

const { values } = parseArgs({
  options: {
    work: { type: 'string', default: '/tmp/mimicbot-hostile' },
    before: { type: 'string' },
    timeout: { type: 'string', default: '600' },
    only: { type: 'string' },
  },
});
const work = resolve(values.work);
const here = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MB = 1_000_000;

const RECORD = '{"tweet":{"id_str":"1","full_text":"the same post, over and over","created_at":"Mon Sep 16 17:12:53 +0000 2019"}},\n';

/** Writes a zip of YTD files of `bytes` each, deflated as a stream (nothing the size of a file is ever in memory). */
async function buildZip(file: string, names: string[], bytes: number): Promise<void> {
  if (existsSync(file)) return;
  const out = createWriteStream(file);
  const done = new Promise<void>((resolvePromise, reject) => {
    out.on('finish', resolvePromise);
    out.on('error', reject);
  });
  const zip = new Zip((error, chunk, final) => {
    if (error) throw error;
    out.write(chunk);
    if (final) out.end();
  });
  const block = new TextEncoder().encode(RECORD.repeat(Math.floor(MB / RECORD.length)));
  for (const [part, name] of names.entries()) {
    const entry = new ZipDeflate(name, { level: 9 });
    zip.add(entry);
    const head = new TextEncoder().encode(`window.YTD.tweets.part${part} = [\n`);
    entry.push(head);
    let written = head.length;
    while (written + block.length < bytes) {
      entry.push(block);
      written += block.length;
      if (written % (100 * block.length) < block.length) await new Promise((r) => setImmediate(r)); // let the file stream drain
    }
    entry.push(new TextEncoder().encode(`${RECORD.slice(0, -2)}\n]`), true);
  }
  zip.end();
  await done;
}

/** A JSONL file: `lead` written in blocks (a line of that many bytes, or a post), then some good posts. */
async function buildJsonl(file: string, lineBytes: number, fill: 'words' | 'one-word'): Promise<void> {
  if (existsSync(file)) return;
  const out = createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('{"id":"1","created_at":"","text":"');
  const unit = fill === 'words' ? 'word ' : 'a';
  const block = unit.repeat(Math.floor(MB / unit.length));
  let left = lineBytes;
  while (left > block.length) {
    await write(block);
    left -= block.length;
  }
  await write(unit.repeat(Math.max(0, Math.floor(left / unit.length))));
  await write('"}\n');
  for (let i = 2; i <= 11; i++) await write(`{"id":"${i}","created_at":"","text":"a good post, number ${i}"}\n`);
  out.end();
  await new Promise<void>((r) => out.on('finish', () => r()));
}

interface Measured {
  seconds: number;
  peakMb: number;
  code: number;
  said: string;
}

/**
 * Runs the CLI under GNU time in a process group of its own. Past --timeout the group is killed (the CLI too,
 * not only `time`), and the peak so far is read from the kernel (VmHWM), so a run that never ends still
 * gets a memory figure, as a lower bound.
 */
function measure(bin: string, args: string[], cwd: string): Promise<Measured> {
  return new Promise((resolvePromise) => {
    const timeoutMs = Number(values.timeout) * 1000;
    const child = spawn('/usr/bin/time', ['-f', 'BENCH %e %M', process.execPath, bin, ...args], { cwd, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let peakAtKillMb = NaN;
    const timer = setTimeout(() => {
      peakAtKillMb = peakOfChildren(child.pid!);
      process.kill(-child.pid!, 'SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stats = /BENCH ([\d.]+) (\d+)/.exec(stderr);
      const said = stderr.replace(/^.*BENCH.*$/m, '').replace(/Command (exited|terminated).*\n/g, '').trim().split('\n')[0] ?? '';
      resolvePromise({
        seconds: stats ? Number(stats[1]) : timeoutMs / 1000,
        peakMb: stats ? Number(stats[2]) / 1000 : peakAtKillMb,
        code: stats ? (code ?? -1) : -1,
        said: stats ? said.slice(0, 150) : `(killed after ${values.timeout} s; peak memory so far)`,
      });
    });
  });
}

/** The largest VmHWM (peak resident set, MB) among a process's children, from /proc. */
function peakOfChildren(pid: number): number {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    const peaks = children.map((c) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${c}/status`, 'utf8'))?.[1] ?? NaN) / 1000);
    return Math.max(...peaks);
  } catch {
    return NaN;
  }
}

async function main(): Promise<void> {
  await mkdir(join(work, 'out'), { recursive: true });
  process.stderr.write(`building inputs in ${work} (once)...\n`);
  await buildZip(join(work, 'bomb.zip'), ['data/tweets.js'], 2_300 * MB);
  await buildZip(join(work, 'parts.zip'), ['data/tweets.js', 'data/tweets-part1.js', 'data/tweets-part2.js', 'data/tweets-part3.js'], 700 * MB);
  await buildJsonl(join(work, 'line-1g.jsonl'), 1_000 * MB, 'words');
  await buildJsonl(join(work, 'line-400m.jsonl'), 400 * MB, 'words');
  await buildJsonl(join(work, 'word-5m.jsonl'), 5 * MB, 'one-word');
  await buildJsonl(join(work, 'word-900k.jsonl'), 900_000, 'one-word');
  await buildJsonl(join(work, 'word-25k.jsonl'), 25_000, 'one-word');

  const cases: [string, string[]][] = [
    ['import bomb.zip (2.3 GB tweets.js)', ['import', 'bomb.zip', '--out', 'out/bomb.jsonl']],
    ['import parts.zip (4 x 700 MB)', ['import', 'parts.zip', '--out', 'out/parts.jsonl']],
    ['prepare, a 1 GB line', ['prepare', 'line-1g.jsonl', '--out', 'out/line-1g']],
    ['prepare, a 400 MB line', ['prepare', 'line-400m.jsonl', '--out', 'out/line-400m']],
    ['prepare, a 5 MB one-word post', ['prepare', 'word-5m.jsonl', '--out', 'out/word-5m']],
    ['prepare, a 900 KB one-word post', ['prepare', 'word-900k.jsonl', '--out', 'out/word-900k']],
    ['prepare, a 25,000-char one-word post', ['prepare', 'word-25k.jsonl', '--out', 'out/word-25k']],
  ];
  const peers: [string, string][] = [['after', join(here, 'training/bin/mimicbot.js')]];
  if (values.before) peers.unshift(['before', join(resolve(values.before), 'training/bin/mimicbot.js')]);
  for (const [name, args] of cases) {
    if (values.only && !name.includes(values.only)) continue;
    const results: Record<string, Measured> = {};
    for (const [label, bin] of peers) {
      const r = (results[label] = await measure(bin, args, work));
      console.log(`${name} | ${label}: ${r.seconds.toFixed(1)} s, peak ${r.peakMb.toFixed(0)} MB, exit ${r.code} | ${r.said}`);
    }
    if (results.before && results.after) {
      const { before, after } = results;
      const atLeast = before.said.startsWith('(killed') ? '>= ' : ''; // a run cut off took longer, and might have grown
      console.log(`${name} | ratio before/after: time ${atLeast}${(before.seconds / after.seconds).toFixed(1)}x, peak memory ${atLeast}${(before.peakMb / after.peakMb).toFixed(1)}x`);
    }
  }
}

await main();
