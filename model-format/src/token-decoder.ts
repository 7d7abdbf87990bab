/**
 * What a process that only decodes keeps of a model folder's tokenizer (the server's main thread, whose
 * prompts are encoded on a thread of its own): the byte table for byte-level BPE, else the library's
 * tokenizer, as before.
 */
import { createByteLevelDecoder, type TokenDecoder } from './byte-level-decoder.js';
import { createTextTokenizer, readTokenizerSources, type TokenizerSources } from './text-tokenizer.js';

export interface FolderTokenDecoder extends TokenDecoder {
  /** `byte-table`: createByteLevelDecoder's table; `library`: @huggingface/tokenizers' whole tokenizer. */
  readonly decodePath: 'byte-table' | 'library';
}

export function createTokenDecoder(sources: TokenizerSources, dir = '.'): FolderTokenDecoder {
  const table = createByteLevelDecoder(sources, dir);
  if (table !== undefined) return { ...table, decodePath: 'byte-table' };
  const { decode, eosTokenId, bosTokenId, vocabSize, idToToken } = createTextTokenizer(sources, dir);
  return { decode, eosTokenId, bosTokenId, vocabSize, idToToken, decodePath: 'library' };
}

/**
 * Reads the same files as loadTextTokenizer, with the same errors, except where the table never reads a part
 * of tokenizer.json the library would refuse (its pre-tokenizer, say): the encoding side (the server's
 * tokenizer thread) loads the library's tokenizer and refuses it there.
 */
export async function loadTokenDecoder(dir: string): Promise<FolderTokenDecoder> {
  return createTokenDecoder(await readTokenizerSources(dir), dir);
}
