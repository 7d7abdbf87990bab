/**
 * `npm start`'s first step: if server/default-model/ holds no model yet, write a stand-in there — random
 * weights in a small GPT-2 shape (2 layers, 64 channels, context 1024) with the real GPT-2 tokenizer — so a
 * fresh clone starts with no download. It talks nonsense; set MODEL_DIR to a trained folder for real text.
 * A folder that already has config.json (a trained model shipped there) is left alone.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { DEFAULT_MODEL_DIR } from '../src/config.js';
import { writeRandomModel } from '@mimicbot/training';

if (existsSync(join(DEFAULT_MODEL_DIR, 'config.json'))) process.exit(0);

process.stderr.write(`No model in ${DEFAULT_MODEL_DIR}: writing a random-weight stand-in (once).\n`);
const bar = new SingleBar(
  { format: 'writing default model [{bar}] {percentage}% | {value}/{total} MB | {speed} MB/s | ETA {eta}s', stream: process.stderr },
);
const started = Date.now();
let barStarted = false;
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
await writeRandomModel(DEFAULT_MODEL_DIR, {
  config: { nLayer: 2, nHead: 2, nEmbd: 64, nPositions: 1024 },
  seed: 42,
  onProgress: (written, total) => {
    if (!barStarted) bar.start(mb(total), 0, { speed: 0 });
    barStarted = true;
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    bar.update(mb(written), { speed: (mb(written) / seconds).toFixed(1) });
  },
});
bar.stop();
await writeFile(
  join(DEFAULT_MODEL_DIR, 'RANDOM_WEIGHTS.txt'),
  'Random weights written by server/scripts/ensure-default-model.ts: a stand-in until a trained default model ships here.\n',
);
process.stderr.write(`Wrote ${DEFAULT_MODEL_DIR}\n`);
