import type { TokenizerFiles } from '@mimicbot/model-format';
import { bytesToUnicode } from './bytes-to-unicode.js';
import { byteLevelBpeTokenizer, END_OF_TEXT } from './tokenizer-json.js';

/** Vocabulary size of the byte-level tokenizer: one id per byte value plus `<|endoftext|>`. */
export const BYTE_LEVEL_VOCAB_SIZE = 257;

/**
 * A tokenizer for tiny test models: id b is byte b (0-255) and `<|endoftext|>` is 256. It is GPT-2's
 * byte-level BPE with no merges, so every loader that reads GPT-2's tokenizer.json reads this one too.
 */
export function buildByteLevelTokenizer(modelMaxLength = 1024): TokenizerFiles {
  const vocab: Record<string, number> = {};
  bytesToUnicode().forEach((char, byte) => {
    vocab[char] = byte;
  });
  return byteLevelBpeTokenizer({ vocab, merges: [], endOfTextId: 256, modelMaxLength });
}

export { END_OF_TEXT };
