/**
 * A tokenizer folder: `tokenizer.json` (the @huggingface/tokenizers file) and `tokenizer_config.json` (its
 * special tokens and options), read with bounds and typed errors, and loaded with @huggingface/tokenizers.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { ModelFolderError } from './model-folder-error.js';
import { readJsonObject } from './read-bounded.js';

export interface TokenizerFiles {
  /** contents of tokenizer.json */
  tokenizerJson: object;
  /** contents of tokenizer_config.json */
  tokenizerConfig: object;
}

/** GPT-2's tokenizer.json is 1.4 MB, the largest common ones (250k-id vocabularies) about 35 MB. */
export const MAX_TOKENIZER_JSON_BYTES = 64 * 1024 * 1024;
/** Special tokens, options and perhaps a chat template: kilobytes. */
export const MAX_TOKENIZER_CONFIG_BYTES = 4 * 1024 * 1024;

const MISSING_HINT = 'a model folder needs tokenizer.json and tokenizer_config.json';

export interface ReadTokenizerOptions {
  /** Used when the folder has no tokenizer_config.json (Hugging Face checkpoints sometimes ship none); default: it is required. */
  defaultTokenizerConfig?: object;
}

export async function readTokenizerFiles(dir: string, options: ReadTokenizerOptions = {}): Promise<TokenizerFiles> {
  const read = { notFound: 'TOKENIZER_NOT_FOUND', invalid: 'TOKENIZER_INVALID', missingHint: MISSING_HINT } as const;
  const tokenizerJson = await readJsonObject(join(dir, 'tokenizer.json'), { ...read, maxBytes: MAX_TOKENIZER_JSON_BYTES });
  const configFile = join(dir, 'tokenizer_config.json');
  const tokenizerConfig =
    options.defaultTokenizerConfig === undefined
      ? await readJsonObject(configFile, { ...read, maxBytes: MAX_TOKENIZER_CONFIG_BYTES })
      : ((await readJsonObject(configFile, { ...read, maxBytes: MAX_TOKENIZER_CONFIG_BYTES, optional: true })) ?? options.defaultTokenizerConfig);
  return { tokenizerJson, tokenizerConfig };
}

/** Builds the library's tokenizer; `dir` names the folder in errors (the library's message is kept printable). */
export function createTokenizer(files: TokenizerFiles, dir = '.'): Tokenizer {
  try {
    return new Tokenizer(files.tokenizerJson, files.tokenizerConfig);
  } catch (cause) {
    throw new ModelFolderError('TOKENIZER_INVALID', join(dir, 'tokenizer.json'), `not a usable tokenizer: ${String(cause)}`, { cause });
  }
}

/** Writes tokenizer.json and tokenizer_config.json into `dir` (which must exist). */
export async function writeTokenizerFiles(dir: string, files: TokenizerFiles): Promise<void> {
  await writeFile(join(dir, 'tokenizer.json'), `${JSON.stringify(files.tokenizerJson, null, 2)}\n`);
  await writeFile(join(dir, 'tokenizer_config.json'), `${JSON.stringify(files.tokenizerConfig, null, 2)}\n`);
}

/** readTokenizerFiles + createTokenizer. */
export async function loadTokenizer(dir: string): Promise<Tokenizer> {
  return createTokenizer(await readTokenizerFiles(dir), dir);
}
