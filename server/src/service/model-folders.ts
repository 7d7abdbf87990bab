import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ModelLoadError } from '../engine/errors.js';

/**
 * Most models one server serves. Each model is a worker thread with its own onnxruntime session, its own
 * weights in memory (a 124M GPT-2 is ~0.5 GB in fp32, ~0.1-0.2 GB quantized) and its own tokenizer thread,
 * and start-up loads them one after another: 16 quantized 124M models already need ~3 GiB and a minute to
 * start, and every model adds its labels to /metrics. A folder of more is more likely a mistake (MODEL_DIR
 * pointed one level too high) than a plan.
 */
export const MAX_MODELS = 16;

/** Where a model folder's hyper-parameters live: its presence is what makes a folder a model folder. */
const MODEL_MARKER = 'config.json';

export interface ModelFolder {
  /** The folder's name: what `model` on a request selects. */
  id: string;
  /** Absolute. */
  dir: string;
}

/**
 * The models MODEL_DIR names. A model folder (one with config.json) is the one model it was before
 * several were possible, and so is anything that is not a folder of model folders, so that a missing or
 * broken folder fails as it always did. A folder without config.json whose subfolders hold config.json is
 * a folder of models: each such subfolder is one, sorted by name (other entries are ignored).
 */
export function listModelFolders(modelDir: string): ModelFolder[] {
  const dir = resolve(modelDir);
  const single = [{ id: basename(dir), dir }];
  if (!isFolder(dir) || existsSync(join(dir, MODEL_MARKER))) return single;
  const models = readdirSync(dir)
    .filter((name) => !name.startsWith('.') && isFolder(join(dir, name)) && existsSync(join(dir, name, MODEL_MARKER)))
    .sort()
    .map((name) => ({ id: name, dir: join(dir, name) }));
  if (models.length === 0) return single;
  if (models.length > MAX_MODELS) {
    throw new ModelLoadError(
      'MODEL_DIR_NOT_FOUND',
      `${dir}: holds ${models.length} model folders; a server serves at most ${MAX_MODELS}. Point MODEL_DIR at a folder with fewer, or run several servers.`,
    );
  }
  return models;
}

/** Follows symbolic links, so a folder of links to model folders works too. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
