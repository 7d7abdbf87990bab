import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { TokenizerError } from '../errors.js';

/** Loads `tokenizer.json` + `tokenizer_config.json` from a model folder with @huggingface/tokenizers. */
export async function loadTokenizer(dir: string): Promise<Tokenizer> {
  const tokenizerJson = await readJson(join(dir, 'tokenizer.json'));
  const tokenizerConfig = await readJson(join(dir, 'tokenizer_config.json'));
  try {
    return new Tokenizer(tokenizerJson, tokenizerConfig);
  } catch (cause) {
    throw new TokenizerError('TOKENIZER_INVALID', join(dir, 'tokenizer.json'), `not a usable tokenizer: ${String(cause)}`, {
      cause,
    });
  }
}

async function readJson(file: string): Promise<object> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new TokenizerError('TOKENIZER_NOT_FOUND', file, 'cannot read the file', { cause });
  }
  try {
    return JSON.parse(text) as object;
  } catch (cause) {
    throw new TokenizerError('TOKENIZER_INVALID', file, `invalid JSON: ${(cause as Error).message}`, { cause });
  }
}
