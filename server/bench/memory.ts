/**
 * `npm run bench:memory -w server`: memory per served model, and how many models fit in 1 and 2 GiB.
 * The server, bundled as the image runs it, is started on a folder of 1 and then of `--models` links to
 * the 124M bench model, once per precision (MODEL_DTYPE). Its resident set (VmRSS, worker threads
 * included) is read after every model has answered a request, and its peak (VmHWM) after a burst of 16
 * concurrent streams on one model (the KV cache a full batch needs). Per model = the difference between
 * the two servers over the models added; the fixed part = the one-model server minus one model.
 * Options: --dtype fp32,q8,q4, --models N (3).
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { GraphDtype } from '@mimicbot/model-format';
import { buildServer, SERVER_NODE_FLAGS } from '../scripts/build.js';
import { BENCH_MODEL_DIR, ensureBenchModel } from './bench-model.js';
import { streamedCompletion } from './http-client.js';
import { readyPort } from './ready-port.js';
import { peakRssMb } from './load.js';

const { values: args } = parseArgs({ options: { dtype: { type: 'string', default: 'fp32,q8,q4' }, models: { type: 'string', default: '3' } } });
const dtypes = args.dtype!.split(',') as GraphDtype[];
const many = Number(args.models);
const OUT_DIR = join(BENCH_MODEL_DIR, '..', 'bench-memory-dist');
const log = (line: string) => process.stderr.write(`${line}\n`);


async function measure(folder: string, ids: string[], dtype: GraphDtype): Promise<{ restMiB: number; burstPeakMiB: number }> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(OUT_DIR, 'main.js')], {
    env: { ...process.env, MODEL_DIR: folder, MODEL_DTYPE: dtype, PORT: '0', CACHE_MAX_ENTRIES: '0', MAX_BATCH: '16' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const url = `http://127.0.0.1:${await readyPort(child)}`;
    for (const id of ids) await streamedCompletion(url, id, 'The quick brown fox jumps over the lazy dog', 16);
    const restMiB = await peakRssMb(child.pid!, 'VmRSS');
    await Promise.all(Array.from({ length: 16 }, (_, i) => streamedCompletion(url, ids[0], `The quick brown fox number ${i} jumps over`, 64)));
    return { restMiB, burstPeakMiB: await peakRssMb(child.pid!, 'VmHWM') };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function main(): Promise<void> {
  const modelDir = await ensureBenchModel(dtypes);
  log('bundling the server with esbuild');
  await buildServer(OUT_DIR);
  const rows = [
    `| precision | 1 model: RSS at rest (MiB) | ${many} models: RSS at rest (MiB) | per model (MiB) | fixed (MiB) | peak after a 16-stream burst, 1 model (MiB) | models in 1 GiB | models in 2 GiB |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const dtype of dtypes) {
    const folders: Record<number, { dir: string; ids: string[] }> = {};
    for (const n of [1, many]) {
      const dir = join(BENCH_MODEL_DIR, '..', `bench-memory-${n}`);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir);
      const ids = Array.from({ length: n }, (_, i) => `bot-${i}`);
      for (const id of ids) await symlink(modelDir, join(dir, id));
      folders[n] = { dir, ids };
    }
    log(`${dtype}: 1 model`);
    const one = await measure(folders[1].dir, folders[1].ids, dtype);
    log(`${dtype}: ${many} models`);
    const several = await measure(folders[many].dir, folders[many].ids, dtype);
    const perModel = (several.restMiB - one.restMiB) / (many - 1);
    const fixed = one.restMiB - perModel;
    // A burst's KV cache is needed once per model that is busy; counted once here, for one busy model.
    const burst = one.burstPeakMiB - one.restMiB;
    const fit = (budgetMiB: number) => Math.max(0, Math.floor((budgetMiB - fixed - burst) / perModel));
    rows.push(`| ${dtype} | ${one.restMiB.toFixed(0)} | ${several.restMiB.toFixed(0)} | ${perModel.toFixed(0)} | ${fixed.toFixed(0)} | ${one.burstPeakMiB.toFixed(0)} | ${fit(1024)} | ${fit(2048)} |`);
    log(rows.at(-1)!);
    for (const { dir } of Object.values(folders)) await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

await main();
