/**
 * `npx tsx model-format/bench/bounded-read.ts`: what a 1 GB config.json costs to refuse, against the
 * unbounded read the three old parsers did (`JSON.parse(await readFile(file, 'utf8'))`), measured in the same
 * run on the same (sparse) file: wall time and how far the process's resident memory rose.
 */
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelConfig } from '../src/read-model-config.js';

const dir = await mkdtemp(join(tmpdir(), 'bounded-read-'));
const file = join(dir, 'config.json');
await writeFile(file, '{"model_type": "gpt2", "pad": "');
await truncate(file, 1024 ** 3); // a 1 GiB file of (mostly) NUL bytes, sparse on disk

async function measure(name: string, run: () => Promise<unknown>): Promise<{ ms: number; rssMb: number }> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const start = performance.now();
  const outcome = await run().then(
    () => 'read',
    (error: Error) => error.message.replace(dir, '<dir>').slice(0, 110),
  );
  const ms = performance.now() - start;
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sampler);
  const rssMb = (peak - before) / 1e6;
  process.stdout.write(`${name.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms  +${rssMb.toFixed(1).padStart(7)} MB RSS  ${outcome}\n`);
  return { ms, rssMb };
}

try {
  const bounded = await measure('readModelConfig', () => readModelConfig(dir));
  const unbounded = await measure('readFile + JSON.parse', async () => JSON.parse(await readFile(file, 'utf8')));
  process.stdout.write(`unbounded / bounded: ${(unbounded.ms / bounded.ms).toFixed(0)}x the time, ${(unbounded.rssMb / Math.max(bounded.rssMb, 0.1)).toFixed(0)}x the memory\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
