import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { TokenizerFolderError } from './errors.js';

/** The text <-> token id mapping the server needs, independent of the library behind it. */
export interface TextTokenizer {
  /** Plain text to ids; special tokens written in the text (`<|endoftext|>`) map to their ids. */
  encode(text: string): number[];
  /** Ids to text, special tokens included, no clean-up: decode(encode(s)) === s for byte-level BPE. */
  decode(ids: readonly number[]): string;
  /** Generation ends when the model samples this id. */
  readonly eosTokenId: number;
  /** What an empty prompt starts from (gpt-2-simple starts from `<|endoftext|>`). */
  readonly bosTokenId: number;
  /** Number of ids the tokenizer can produce (highest id + 1); must fit the model's vocabulary. */
  readonly vocabSize: number;
}

type Json = Record<string, unknown>;

/** The files of a model folder the tokenizer is built from; `generation_config.json` and `config.json` are optional. */
export interface TokenizerSources {
  tokenizerJson: object;
  tokenizerConfig: object;
  generationConfig?: object;
  modelConfig?: object;
}

/** Reads `tokenizer.json`, `tokenizer_config.json` (required) and `generation_config.json`, `config.json` (optional). */
export async function loadTextTokenizer(dir: string): Promise<TextTokenizer> {
  const hint = 'a model folder needs tokenizer.json and tokenizer_config.json (write one with @mimicbot/training)';
  const tokenizerJson = await readJson(join(dir, 'tokenizer.json'), hint);
  const tokenizerConfig = await readJson(join(dir, 'tokenizer_config.json'), hint);
  const generationConfig = await readJson(join(dir, 'generation_config.json'), null);
  const modelConfig = await readJson(join(dir, 'config.json'), null);
  return createTextTokenizer({ tokenizerJson, tokenizerConfig, generationConfig, modelConfig }, dir);
}

export function createTextTokenizer(sources: TokenizerSources, dir = '.'): TextTokenizer {
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(sources.tokenizerJson, sources.tokenizerConfig);
  } catch (cause) {
    throw new TokenizerFolderError(join(dir, 'tokenizer.json'), `not a usable tokenizer: ${String(cause)}`, { cause });
  }
  const config = sources.tokenizerConfig as Json;
  const eosTokenId =
    tokenId(tokenizer, config.eos_token) ??
    numberField(sources.generationConfig, 'eos_token_id') ??
    numberField(sources.modelConfig, 'eos_token_id');
  if (eosTokenId === undefined) {
    throw new TokenizerFolderError(
      join(dir, 'tokenizer_config.json'),
      'no end-of-text token: set "eos_token" (e.g. "<|endoftext|>") to a token of tokenizer.json',
    );
  }
  const bosTokenId =
    tokenId(tokenizer, config.bos_token) ??
    numberField(sources.generationConfig, 'bos_token_id') ??
    numberField(sources.modelConfig, 'bos_token_id') ??
    eosTokenId;
  let maxId = -1;
  for (const id of tokenizer.get_vocab(true).values()) maxId = Math.max(maxId, id);

  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    // The library refuses an empty list; an empty list is simply no text.
    decode: (ids) =>
      ids.length === 0
        ? ''
        : tokenizer.decode(ids as number[], { skip_special_tokens: false, clean_up_tokenization_spaces: false }),
    eosTokenId,
    bosTokenId,
    vocabSize: maxId + 1,
  };
}

/** `eos_token` is either the token's text or an AddedToken object `{ content: ... }`. */
function tokenId(tokenizer: Tokenizer, token: unknown): number | undefined {
  const content =
    typeof token === 'string' ? token : typeof token === 'object' && token !== null ? (token as Json).content : undefined;
  return typeof content === 'string' ? tokenizer.token_to_id(content) : undefined;
}

function numberField(source: object | undefined, name: string): number | undefined {
  const value = (source as Json | undefined)?.[name];
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
  return typeof value === 'number' ? value : undefined;
}

/** With `missingHint` null a missing file is allowed (undefined); otherwise it is an error with that hint. */
async function readJson(file: string, missingHint: string): Promise<object>;
async function readJson(file: string, missingHint: null): Promise<object | undefined>;
async function readJson(file: string, missingHint: string | null): Promise<object | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if (missingHint === null && (cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TokenizerFolderError(file, `cannot read it (${missingHint ?? (cause as Error).message})`, { cause });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value;
  } catch (cause) {
    throw new TokenizerFolderError(file, `invalid JSON: ${(cause as Error).message}`, { cause });
  }
}
