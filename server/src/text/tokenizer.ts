/**
 * The server's tokenizer: @mimicbot/model-format's text tokenizer (the one `mimicbot sample` and the trainer
 * use, so the same text gives the same ids), with the format's errors turned into the text layer's
 * TokenizerFolderError, which start-up reports with its hint. The tokenizer thread loads the whole tokenizer
 * to encode; the main thread only decodes, and loads the decoder (for GPT-2, a byte table instead of the
 * library's ~50 MB of maps).
 */
import {
  loadTextTokenizer as loadFolderTokenizer,
  loadTokenDecoder as loadFolderDecoder,
  ModelFolderError,
  type FolderTokenDecoder,
  type TextTokenizer,
  type TokenDecoder,
} from '@mimicbot/model-format';
import { TokenizerFolderError } from './errors.js';

export type { FolderTokenDecoder, TextTokenizer, TokenDecoder };

export function loadTextTokenizer(dir: string): Promise<TextTokenizer> {
  return folderErrors(loadFolderTokenizer(dir));
}

export function loadTokenDecoder(dir: string): Promise<FolderTokenDecoder> {
  return folderErrors(loadFolderDecoder(dir));
}

async function folderErrors<T>(loading: Promise<T>): Promise<T> {
  try {
    return await loading;
  } catch (error) {
    if (error instanceof ModelFolderError) throw new TokenizerFolderError(error.file, error.problem, { cause: error });
    throw error;
  }
}
