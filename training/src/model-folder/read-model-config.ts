import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Gpt2Config } from '../model/gpt2-config.js';
import { fromHfConfig } from './hf-config.js';
import { ModelFolderError } from './model-folder-error.js';

/** The Gpt2Config of a model folder, from its Hugging Face `config.json`. */
export async function readModelConfig(dir: string): Promise<Gpt2Config> {
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const problem = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found: is this a model folder?' : `cannot read: ${String(cause)}`;
    throw new ModelFolderError('MODEL_FOLDER_NOT_FOUND', file, problem, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelFolderError('MODEL_FOLDER_BAD_CONFIG', file, `invalid JSON: ${(cause as Error).message}`, { cause });
  }
  return fromHfConfig(json, file);
}
