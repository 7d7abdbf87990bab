/**
 * `npm start`'s first step: if server/default-model/ holds no model yet, write a stand-in there — random
 * weights in a small GPT-2 shape (2 layers, 64 channels, context 1024) with the real GPT-2 tokenizer — so a
 * fresh clone starts with no download. It talks nonsense; set MODEL_DIR to a trained folder for real text.
 * A folder that already has config.json (a trained model shipped there) is left alone.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR } from '../src/config.js';
import { createProgressBar, writeRandomModel } from '@mimicbot/training';

if (existsSync(join(DEFAULT_MODEL_DIR, 'config.json'))) process.exit(0);

process.stderr.write(`No model in ${DEFAULT_MODEL_DIR}: writing a random-weight stand-in (once).\n`);
const bar = createProgressBar('writing default model', { unit: 'MB', scale: 1e6 });
await writeRandomModel(DEFAULT_MODEL_DIR, {
  config: { nLayer: 2, nHead: 2, nEmbd: 64, nPositions: 1024 },
  seed: 42,
  onProgress: (written, total) => bar.update(written, total),
});
bar.stop();
await writeFile(
  join(DEFAULT_MODEL_DIR, 'RANDOM_WEIGHTS.txt'),
  'Random weights written by server/scripts/ensure-default-model.ts: a stand-in until a trained default model ships here.\n',
);
process.stderr.write(`Wrote ${DEFAULT_MODEL_DIR}\n`);
