/**
 * The text <-> token id mapping that generation needs (the server, `sample`, the trainer's samples), with
 * the special ids resolved from the folder: one implementation, so the same text gives the same ids
 * everywhere.
 */
import { join } from 'node:path';
import { readJsonObject } from './read-bounded.js';
import { MAX_CONFIG_BYTES } from './read-model-config.js';
import { resolveSpecialIds } from './special-ids.js';
import { createTokenizer, readTokenizerFiles, type TokenizerFiles } from './tokenizer-files.js';

export interface TextTokenizer {
  /** Plain text to ids; special tokens written in the text (`<|endoftext|>`) map to their ids; nothing is added. */
  encode(text: string): number[];
  /** Ids to text, special tokens included, no clean-up: decode(encode(s)) === s for byte-level BPE. */
  decode(ids: readonly number[]): string;
  /** Generation ends when the model samples this id. */
  readonly eosTokenId: number;
  /** What an empty prompt starts from (GPT-2's unconditional samples start from `<|endoftext|>`). */
  readonly bosTokenId: number;
  /** Number of ids the tokenizer can produce (highest id + 1); must fit the model's vocabulary. */
  readonly vocabSize: number;
  /** The id's entry in the vocabulary as written (byte-level BPE: its bytes in GPT-2's byte alphabet). */
  idToToken?(id: number): string | undefined;
}

/** The files a TextTokenizer is built from; `generation_config.json` and `config.json` are optional. */
export interface TokenizerSources extends TokenizerFiles {
  generationConfig?: object;
  modelConfig?: object;
}

/** Reads `tokenizer.json`, `tokenizer_config.json` (required) and `generation_config.json`, `config.json` (optional). */
export async function readTokenizerSources(dir: string): Promise<TokenizerSources> {
  const files = await readTokenizerFiles(dir);
  const optional = { optional: true, maxBytes: MAX_CONFIG_BYTES, notFound: 'MODEL_CONFIG_NOT_FOUND', invalid: 'MODEL_CONFIG_INVALID' } as const;
  const generationConfig = await readJsonObject(join(dir, 'generation_config.json'), optional);
  const modelConfig = await readJsonObject(join(dir, 'config.json'), optional);
  return { ...files, generationConfig, modelConfig };
}

/** readTokenizerSources + createTextTokenizer. */
export async function loadTextTokenizer(dir: string): Promise<TextTokenizer> {
  return createTextTokenizer(await readTokenizerSources(dir), dir);
}

/** The library's tokenizer, with the special ids resolved by resolveSpecialIds. */
export function createTextTokenizer(sources: TokenizerSources, dir = '.'): TextTokenizer {
  const tokenizer = createTokenizer(sources, dir);
  const { eosTokenId, bosTokenId } = resolveSpecialIds(sources, (token) => tokenizer.token_to_id(token), dir);
  let maxId = -1;
  for (const id of tokenizer.get_vocab(true).values()) maxId = Math.max(maxId, id);

  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    // The library refuses an empty list; an empty list is simply no text.
    decode: (ids) => (ids.length === 0 ? '' : tokenizer.decode(ids as number[], { skip_special_tokens: false, clean_up_tokenization_spaces: false })),
    eosTokenId,
    bosTokenId,
    vocabSize: maxId + 1,
    idToToken: (id) => tokenizer.id_to_token(id),
  };
}
