/**
 * A training checkpoint is a Hugging Face GPT-2 folder (config.json, model.safetensors, tokenizer.json,
 * tokenizer_config.json and a model card README.md, which `export` carries into the model folder: so
 * `--from`, `export` and transformers all read it) plus what resuming needs:
 *   optimizer.safetensors  AdamW's m and v for every parameter (`m.<name>`, `v.<name>`), step in metadata
 *   trainer_state.json     completed steps and the loss history
 * The folder is written beside its final place and swapped in whole, so an interrupted save leaves the
 * previous checkpoint intact; on load the optimizer's step must also match trainer_state.json's.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeModelCard, writeTokenizerFiles, type TokenizerFiles } from '@mimicbot/model-format';
import { loadHfCheckpoint, saveHfCheckpoint } from '../checkpoint/index.js';
import { CheckpointError } from '../errors.js';
import { gpt2TensorShapes, type Gpt2Weights } from '../model/gpt2-config.js';
import { openSafetensors, writeSafetensors, type TensorToWrite } from '../safetensors/index.js';
import { describeShape } from '../model-folder/write-model-folder.js';
import type { LossPoint, TrainerState } from './trainer.js';

const OPTIMIZER_FILE = 'optimizer.safetensors';
const STATE_FILE = 'trainer_state.json';

interface TrainerStateJson {
  step: number;
  trainLoss: LossPoint[];
  validLoss: LossPoint[];
}

export async function saveTrainingCheckpoint(dir: string, state: TrainerState, tokenizer: TokenizerFiles): Promise<void> {
  const partial = `${dir}.partial`;
  const previous = `${dir}.previous`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  await saveHfCheckpoint(partial, state.config, state.weights);
  await writeTokenizerFiles(partial, tokenizer);
  // The folder is usually <run>/checkpoint: the run's name is the better title.
  const title = basename(resolve(dir)) === 'checkpoint' ? basename(resolve(dir, '..')) : basename(resolve(dir));
  await writeModelCard(partial, { title, description: `Trained by mimicbot for ${state.step} steps. ${describeShape(state.config)}` });
  const tensors = new Map<string, TensorToWrite>();
  for (const [name, shape] of gpt2TensorShapes(state.config)) {
    tensors.set(`m.${name}`, { shape, data: state.optimizer.m.get(name)! });
    tensors.set(`v.${name}`, { shape, data: state.optimizer.v.get(name)! });
  }
  await writeSafetensors(join(partial, OPTIMIZER_FILE), tensors, { metadata: { step: String(state.optimizer.step) } });
  const json: TrainerStateJson = { step: state.step, trainLoss: state.trainLoss, validLoss: state.validLoss };
  await writeJson(join(partial, STATE_FILE), json);
  await rm(previous, { recursive: true, force: true });
  await rename(dir, previous).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(partial, dir);
  await rm(previous, { recursive: true, force: true });
}

export async function loadTrainingCheckpoint(dir: string): Promise<TrainerState> {
  const { config, weights } = await loadHfCheckpoint(dir);
  const stateFile = join(dir, STATE_FILE);
  let json: TrainerStateJson;
  try {
    json = JSON.parse(await readFile(stateFile, 'utf8')) as TrainerStateJson;
  } catch (cause) {
    throw new CheckpointError('CHECKPOINT_NOT_FOUND', stateFile, 'cannot read it: not a training checkpoint (or one cut off before it was complete)', { cause });
  }
  const optimizerFile = join(dir, OPTIMIZER_FILE);
  const reader = await openSafetensors(optimizerFile);
  const m: Gpt2Weights = new Map();
  const v: Gpt2Weights = new Map();
  try {
    if (reader.metadata.step !== String(json.step)) {
      throw new CheckpointError('CHECKPOINT_BAD_CONFIG', optimizerFile, `holds step ${reader.metadata.step} but ${STATE_FILE} says ${json.step}: the checkpoint was cut off while being written`);
    }
    for (const name of weights.keys()) {
      if (!reader.tensors.has(`m.${name}`) || !reader.tensors.has(`v.${name}`)) {
        throw new CheckpointError('CHECKPOINT_MISSING_TENSOR', optimizerFile, `no optimizer state for "${name}"`);
      }
      m.set(name, await reader.read(`m.${name}`));
      v.set(name, await reader.read(`v.${name}`));
    }
  } finally {
    await reader.close();
  }
  return { config, weights, optimizer: { step: json.step, m, v }, step: json.step, trainLoss: json.trainLoss, validLoss: json.validLoss };
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
