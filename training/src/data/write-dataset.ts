import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trainingText, type PreparedDataset } from './prepare-dataset.js';

/** Writes `train.txt`, `valid.txt` and `dataset.json` into `dir` (created if missing). */
export async function writeDataset(dir: string, dataset: PreparedDataset): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'train.txt'), trainingText(dataset.train));
  await writeFile(join(dir, 'valid.txt'), trainingText(dataset.valid));
  await writeFile(join(dir, 'dataset.json'), JSON.stringify(dataset.summary, null, 2) + '\n');
}
