/**
 * Our Gpt2Config as Hugging Face's GPT-2 `config.json` and back. The keys are those of
 * `transformers.GPT2Config`, so transformers.js (and Python transformers) read folders we write.
 */
import { hfConfigFromGpt2 } from '../checkpoint/hf-config.js';
import type { Gpt2Config } from '../model/gpt2-config.js';
import { ModelFolderError } from './model-folder-error.js';

/** The checkpoint writer's config.json (one source for the keys), plus the cache flag transformers.js reads. */
export function toHfConfig(config: Gpt2Config): Record<string, unknown> {
  return { ...hfConfigFromGpt2(config), use_cache: true };
}

export function toGenerationConfig(config: Gpt2Config): Record<string, unknown> {
  return { bos_token_id: config.bosTokenId, eos_token_id: config.eosTokenId };
}

/** Reads a parsed config.json; `file` names it in errors. */
export function fromHfConfig(json: unknown, file: string): Gpt2Config {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelFolderError('MODEL_FOLDER_BAD_CONFIG', file, 'expected a JSON object');
  const raw = json as Record<string, unknown>;
  if (raw.model_type !== 'gpt2') {
    throw new ModelFolderError('MODEL_FOLDER_UNKNOWN_MODEL_TYPE', file, `model_type is ${JSON.stringify(raw.model_type)}, only "gpt2" is supported`);
  }
  const int = (key: string, fallback?: number): number => {
    const value = raw[key] ?? fallback;
    if (value === undefined) throw new ModelFolderError('MODEL_FOLDER_BAD_CONFIG', file, `missing key "${key}"`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new ModelFolderError('MODEL_FOLDER_BAD_CONFIG', file, `"${key}" must be a non-negative integer, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  const vocabSize = int('vocab_size');
  const nHead = int('n_head');
  const nEmbd = int('n_embd');
  const config: Gpt2Config = {
    vocabSize,
    nPositions: int('n_positions'),
    nEmbd,
    nLayer: int('n_layer'),
    nHead,
    layerNormEpsilon: typeof raw.layer_norm_epsilon === 'number' ? raw.layer_norm_epsilon : 1e-5,
    // transformers' GPT2Config defaults, for configs that leave them out
    bosTokenId: int('bos_token_id', 50256),
    eosTokenId: int('eos_token_id', 50256),
  };
  for (const key of ['vocab_size', 'n_positions', 'n_embd', 'n_layer', 'n_head'] as const) {
    if (raw[key] === 0) throw new ModelFolderError('MODEL_FOLDER_BAD_CONFIG', file, `"${key}" must be at least 1`);
  }
  if (nEmbd % nHead !== 0) throw new ModelFolderError('MODEL_FOLDER_BAD_CONFIG', file, `"n_embd" (${nEmbd}) must be divisible by "n_head" (${nHead})`);
  for (const key of ['bos_token_id', 'eos_token_id'] as const) {
    const id = key === 'bos_token_id' ? config.bosTokenId : config.eosTokenId;
    if (id >= vocabSize) throw new ModelFolderError('MODEL_FOLDER_BAD_CONFIG', file, `"${key}" (${id}) must be below "vocab_size" (${vocabSize})`);
  }
  return config;
}
