/**
 * The last stage of `train:default`, run once the long training is done (`--stage finalize`): export the
 * checkpoint, measure it on the validation split, take unedited samples through the `sample` command,
 * copy the shipped files into server/default-model/ within the size budget, and write the model card and
 * the loss curve.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { exportCommand } from '../../src/cli/export.js';
import { lossCurveSvg } from '../../src/train/loss-curve-svg.js';
import { loadTrainingCheckpoint } from '../../src/train/training-checkpoint.js';
import { folderBudget, SHIPPED_GRAPHS, MAX_FOLDER_BYTES } from './budget.js';
import { writeCard } from './card.js';
import { measureValidation } from './measure.js';
import { parameterCount, type Recipe } from './recipe.js';
import { takeSamples } from './samples.js';

export interface FinalizeOptions {
  recipe: Recipe;
  work: string;
  target: string;
  assets: string;
  repo: string;
  threads: number;
}

export async function finalizeDefaultModel(o: FinalizeOptions): Promise<void> {
  const checkpoint = join(o.work, 'run/checkpoint');
  if (!existsSync(join(checkpoint, 'trainer_state.json'))) throw new Error(`${checkpoint}: no checkpoint; run the training first (--stage train)`);
  const state = await loadTrainingCheckpoint(checkpoint);
  if (state.step < o.recipe.steps) {
    throw new Error(`${checkpoint} is at step ${state.step} of ${o.recipe.steps}; let the run finish, or pass --steps ${state.step} to ship it as it is`);
  }
  const model = join(o.work, 'model');
  const exported = await exportCommand.run([checkpoint, model, '--force']);
  if (exported !== 0) throw new Error(`export of ${checkpoint} failed`);

  const budget = await folderBudget(model);
  if (budget.uniqueBytes > MAX_FOLDER_BYTES) throw new Error(`${model}: ${(budget.uniqueBytes / 1e6).toFixed(1)} MB of distinct files; the default model must stay within ${MAX_FOLDER_BYTES / 1e6} MB`);
  process.stderr.write('finalize: measuring bits per byte on the validation split\n');
  const measured = await measureValidation(state, join(o.work, 'data/valid.txt'), join(o.work, 'tokenizer'), o.threads);

  // Replace the folder's graphs and model files; its README (rewritten below) stays. Graphs this export did
  // not write (quantized ones built from the previous weights, say) would serve stale weights: they go.
  await mkdir(join(o.target, 'onnx'), { recursive: true });
  for (const entry of await readdir(o.target, { withFileTypes: true, recursive: true })) {
    const file = join(entry.parentPath, entry.name);
    if (entry.isFile() && file.endsWith('.onnx') && !SHIPPED_GRAPHS.includes(relative(o.target, file))) await rm(file);
  }
  for (const file of budget.files) await copyFile(join(model, file), join(o.target, file));
  await rm(join(o.target, 'RANDOM_WEIGHTS.txt'), { force: true });

  process.stderr.write('finalize: sampling\n');
  const samples = await takeSamples(o.target);
  await mkdir(o.assets, { recursive: true });
  // From the checkpoint's history, so a run stopped before its end (killed, then shipped as it was) has one too.
  const title = `loss, ${state.config.nLayer}x${state.config.nEmbd} GPT-2, BPE ${state.config.vocabSize}`;
  await writeFile(join(o.assets, 'loss-curve.svg'), lossCurveSvg(state.trainLoss, state.validLoss, { title }));
  const trainText = await readFile(join(o.work, 'data/train.txt'), 'utf8');
  await writeCard(join(o.target, 'README.md'), {
    recipe: o.recipe,
    parameters: parameterCount(o.recipe),
    steps: state.step,
    trainBytes: Buffer.byteLength(trainText),
    budget,
    measured,
    samples,
  });
  process.stderr.write(
    `default model: ${measured.bitsPerByte.toFixed(3)} bits per byte on the validation split; ${(budget.uniqueBytes / 1e6).toFixed(1)} MB in ${o.target}; ` +
      `card in ${join(o.target, 'README.md')}, loss curve in ${join(o.assets, 'loss-curve.svg')}\n`,
  );
}
