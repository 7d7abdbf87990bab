/**
 * GPT-2's pre-tokenisation, the step before byte-level BPE: text is cut into words with GPT-2's regex
 * (openai/gpt-2 `encoder.py`; the same pattern @huggingface/tokenizers' ByteLevel pre-tokenizer uses), and
 * each word's UTF-8 bytes are written as byte-to-unicode characters. Merges never cross a word boundary.
 */
import { bytesToUnicode } from './bytes-to-unicode.js';

/** Contractions, letter runs, digit runs and punctuation runs (each with at most one leading space), whitespace. */
export const GPT2_PRETOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const BYTE_CHARS = bytesToUnicode();
const utf8 = new TextEncoder();

/** The words of `text`, in order; joined they are `text` again. */
export function preTokenize(text: string): string[] {
  return text.match(GPT2_PRETOKENIZE) ?? [];
}

/** A word's UTF-8 bytes. */
export function wordBytes(word: string): Uint8Array {
  return utf8.encode(word);
}

/** Bytes as the characters byte-level vocabularies are written in ("Ġ" for a space). */
export function byteLevelString(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_CHARS[bytes[i]];
  return s;
}
