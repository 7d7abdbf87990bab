/**
 * The server's tokenizer: @mimicbot/model-format's text tokenizer (the one `mimicbot sample` and the trainer
 * use, so the same text gives the same ids), with the format's errors turned into the text layer's
 * TokenizerFolderError, which start-up reports with its hint.
 */
import { loadTextTokenizer as loadFolderTokenizer, ModelFolderError, type TextTokenizer } from '@mimicbot/model-format';
import { TokenizerFolderError } from './errors.js';

export type { TextTokenizer };

export async function loadTextTokenizer(dir: string): Promise<TextTokenizer> {
  try {
    return await loadFolderTokenizer(dir);
  } catch (error) {
    if (error instanceof ModelFolderError) throw new TokenizerFolderError(error.file, error.problem, { cause: error });
    throw error;
  }
}
