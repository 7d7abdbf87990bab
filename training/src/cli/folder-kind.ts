/**
 * Which of the project's folders a path is, from the files in it, so a command handed the wrong one (an easy
 * mistake: `train` writes `<out>/checkpoint`, `export` writes the model folder) can say what to run instead
 * of failing on a missing file.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type FolderKind =
  /** what `train --out` writes: checkpoint/, loss-curve.svg, samples.txt */
  | 'training-run'
  /** `<run>/checkpoint`: a Hugging Face folder plus trainer_state.json and the optimizer state */
  | 'training-checkpoint'
  /** what `export`, `convert` and `init` write: model.onnx, config.json, tokenizer files */
  | 'model-folder'
  /** config.json + model.safetensors, as `download` writes */
  | 'hf-checkpoint'
  /** not a folder at all */
  | 'file'
  | 'other';

export function folderKind(dir: string): FolderKind {
  if (statSync(dir, { throwIfNoEntry: false })?.isFile()) return 'file';
  const has = (file: string) => existsSync(join(dir, file));
  if (has('trainer_state.json')) return 'training-checkpoint';
  if (has('checkpoint/trainer_state.json')) return 'training-run';
  if (has('model.onnx') && has('config.json')) return 'model-folder';
  if (has('model.safetensors') && has('config.json')) return 'hf-checkpoint';
  return 'other';
}
