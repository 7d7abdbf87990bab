/**
 * Which ids end and start generation, from the folder's configs: one rule for every tokenizer the format
 * builds (the library's, the byte table), so they can never disagree.
 */
import { join } from 'node:path';
import { ModelFolderError } from './model-folder-error.js';

type Json = Record<string, unknown>;

export interface SpecialIdSources {
  tokenizerConfig: object;
  generationConfig?: object;
  modelConfig?: object;
}

export interface SpecialIds {
  eosTokenId: number;
  bosTokenId: number;
}

/**
 * The end-of-text id is tokenizer_config.json's `eos_token`, else `eos_token_id` from config.json, else from
 * generation_config.json (readModelConfig's order); the start id likewise, defaulting to the end-of-text id.
 * `tokenToId` is the tokenizer's own lookup (added tokens first, then the vocabulary).
 */
export function resolveSpecialIds(sources: SpecialIdSources, tokenToId: (token: string) => number | undefined, dir = '.'): SpecialIds {
  const config = sources.tokenizerConfig as Json;
  const idOf = (token: unknown) => {
    const content = typeof token === 'string' ? token : typeof token === 'object' && token !== null ? (token as Json).content : undefined;
    return typeof content === 'string' ? tokenToId(content) : undefined;
  };
  const fromConfigs = (name: string) => firstId(sources.modelConfig, name) ?? firstId(sources.generationConfig, name);
  const eosTokenId = idOf(config.eos_token) ?? fromConfigs('eos_token_id');
  if (eosTokenId === undefined) {
    throw new ModelFolderError(
      'TOKENIZER_INVALID',
      join(dir, 'tokenizer_config.json'),
      'no end-of-text token: set "eos_token" (e.g. "<|endoftext|>") to a token of tokenizer.json',
      { field: 'eos_token' },
    );
  }
  return { eosTokenId, bosTokenId: idOf(config.bos_token) ?? fromConfigs('bos_token_id') ?? eosTokenId };
}

/** An id field that may be a list (generation ends at any of them; the first is the one we use). */
function firstId(source: object | undefined, name: string): number | undefined {
  const value = (source as Json | undefined)?.[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return Number.isSafeInteger(first) && (first as number) >= 0 ? (first as number) : undefined;
}
