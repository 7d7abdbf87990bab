/**
 * `npm run train:default -w training`: reproduces server/default-model/, the model `npm start` serves when
 * no MODEL_DIR is set. A small GPT-2 trained from scratch, with the byte-level tokenizer, on Debian's
 * `fortunes` (apt-get install fortunes): every entry of at most 280 characters, offensive ones (off/)
 * and ASCII drawings left out.
 *
 *   1. corpus   /usr/share/games/fortunes/*  ->  <work>/data/{train,valid}.txt (5% validation, by hash)
 *   2. train    <work>/run/  (re-running resumes from its checkpoint)
 *   3. export   <work>/model/, copied into server/default-model/ (at most 20 MB), the curve to assets/
 *
 * Options: --fortunes DIR, --work DIR (default training/.tmp/default-model), --steps N, --threads N,
 * --target DIR (default server/default-model), --assets DIR (default assets).
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exportCommand } from '../src/cli/export.js';
import { trainCommand } from '../src/cli/train.js';
import { splitByHash } from '../src/data/dataset-split.js';
import { trainingText } from '../src/data/prepare-dataset.js';
import { fortuneCorpus } from '../src/train/fortune-corpus.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MAX_MODEL_BYTES = 20 * 1024 * 1024;
/** Fortune files that are not short prose: ASCII drawings. (off/ is a folder and is never read.) */
const SKIPPED_FILES = new Set(['ascii-art']);

/**
 * The default model: 4 layers x 160 channels (1.3M parameters, ~5 MB per ONNX copy; the folder holds
 * three: model.onnx, onnx/model.onnx and server_decoder.onnx), context 256 bytes, which covers a whole
 * 280-character post in most cases. Bytes rather than GPT-2's BPE: 50257 x 160 embeddings alone would be
 * 32 MB, and a model this small learns 257 symbols far faster than 50257. 3000 steps of 8 x 256 bytes
 * (6.3M bytes, ~5 passes over the corpus) take ~30-60 minutes on two cores (2,000-3,500 tokens/s).
 */
const SHAPE = ['--layers', '4', '--heads', '4', '--embd', '160', '--positions', '256', '--vocab', 'bytes'];
const SCHEDULE = ['--batch', '8', '--seq', '256', '--lr', '2e-3', '--min-lr', '2e-4', '--warmup', '50', '--weight-decay', '0.1', '--grad-clip', '1'];

const { values } = parseArgs({
  options: {
    fortunes: { type: 'string', default: '/usr/share/games/fortunes' },
    work: { type: 'string', default: join(REPO, 'training/.tmp/default-model') },
    steps: { type: 'string', default: '3000' },
    threads: { type: 'string', default: '2' },
    target: { type: 'string', default: join(REPO, 'server/default-model') },
    assets: { type: 'string', default: join(REPO, 'assets') },
  },
});
const work = values.work;

async function buildCorpus(): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(values.fortunes)).sort();
  } catch {
    throw new Error(`${values.fortunes}: cannot list it; install the corpus with \`apt-get install fortunes\` or pass --fortunes DIR`);
  }
  const texts: string[] = [];
  for (const name of names) {
    const file = join(values.fortunes, name);
    if (name.includes('.') || SKIPPED_FILES.has(name) || !(await stat(file)).isFile()) continue; // .dat indexes, .u8 links, off/
    texts.push(await readFile(file, 'utf8'));
  }
  const posts = fortuneCorpus(texts, { maxChars: 280 });
  const { train, valid } = splitByHash(posts, (p) => p, 0.05);
  await mkdir(join(work, 'data'), { recursive: true });
  await writeFile(join(work, 'data/train.txt'), trainingText(train));
  await writeFile(join(work, 'data/valid.txt'), trainingText(valid));
  process.stderr.write(`corpus: ${texts.length} fortune files, ${posts.length} entries (${train.length} train, ${valid.length} validation)\n`);
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function main(): Promise<number> {
  await buildCorpus();
  const run = join(work, 'run');
  const resume = existsSync(join(run, 'checkpoint/trainer_state.json')) ? ['--resume'] : [];
  const trained = await trainCommand.run([
    '--data', join(work, 'data'), '--out', run, ...SHAPE, ...SCHEDULE, ...resume,
    '--steps', values.steps, '--seed', '1', '--eval-every', '100', '--eval-batches', '40', '--checkpoint-every', '100',
    '--threads', values.threads, '--samples', '5', '--sample-tokens', '200',
  ]);
  if (trained !== 0) return trained;
  const model = join(work, 'model');
  const exported = await exportCommand.run([join(run, 'checkpoint'), model, '--force']);
  if (exported !== 0) return exported;
  const bytes = await folderBytes(model);
  if (bytes > MAX_MODEL_BYTES) throw new Error(`${model} is ${(bytes / 1e6).toFixed(1)} MB; the default model must stay under 20 MB`);
  // Copy file by file: server/default-model/ keeps its README; the random stand-in's marker goes.
  const target = values.target;
  await mkdir(join(target, 'onnx'), { recursive: true });
  for (const entry of await readdir(model, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const from = join(entry.parentPath, entry.name);
    await copyFile(from, join(target, from.slice(model.length + 1)));
  }
  await rm(join(target, 'RANDOM_WEIGHTS.txt'), { force: true });
  await mkdir(values.assets, { recursive: true });
  await copyFile(join(run, 'loss-curve.svg'), join(values.assets, 'loss-curve.svg'));
  process.stderr.write(`default model: ${(bytes / 1e6).toFixed(1)} MB in ${target}; loss curve in ${join(values.assets, 'loss-curve.svg')}\n`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`train:default: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
