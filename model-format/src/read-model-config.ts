import { join } from 'node:path';
import type { Gpt2Config } from './gpt2-config.js';
import { parseHfConfig } from './hf-config.js';
import { readJsonObject } from './read-bounded.js';

/** config.json and generation_config.json are a few hundred bytes; a megabyte is generous. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The Gpt2Config of a model (or checkpoint) folder, from `config.json` and, when present, `generation_config.json`. */
export async function readModelConfig(dir: string): Promise<Gpt2Config> {
  const file = join(dir, 'config.json');
  const json = await readJsonObject(file, {
    maxBytes: MAX_CONFIG_BYTES,
    notFound: 'MODEL_CONFIG_NOT_FOUND',
    invalid: 'MODEL_CONFIG_INVALID',
    missingHint: 'is this a model folder?',
  });
  const generation = await readJsonObject(join(dir, 'generation_config.json'), {
    optional: true,
    maxBytes: MAX_CONFIG_BYTES,
    notFound: 'MODEL_CONFIG_NOT_FOUND',
    invalid: 'MODEL_CONFIG_INVALID',
  });
  return parseHfConfig(json, file, generation);
}
