/**
 * GPT-2's byte-level alphabet (openai/gpt-2 encoder.py `bytes_to_unicode`): byte-level BPE vocabularies
 * write every byte as a printable character, so a vocabulary entry is a string; this maps it back.
 */

const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);

/** byte -> the character vocabulary entries write it as. */
export const CHAR_OF_BYTE: readonly string[] = (() => {
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCharCode(printable(b) ? b : next++));
})();

/** The alphabet's characters are U+0021..U+0143: a table indexed by char code, -1 for characters outside it. */
const BYTE_OF_CODE: Int16Array = (() => {
  const table = new Int16Array(0x144).fill(-1);
  CHAR_OF_BYTE.forEach((char, b) => (table[char.charCodeAt(0)] = b));
  return table;
})();

/** The byte a character of the alphabet stands for; -1 when the character is not in it. */
export function byteOfCharCode(code: number): number {
  return code < BYTE_OF_CODE.length ? BYTE_OF_CODE[code] : -1;
}

/** A byte-level vocabulary entry's bytes; undefined when it is not one (another tokenizer family, a stray character). */
export function byteLevelBytes(entry: string): Uint8Array | undefined {
  const bytes = new Uint8Array(entry.length);
  for (let i = 0; i < entry.length; i++) {
    const b = byteOfCharCode(entry.charCodeAt(i));
    if (b < 0) return undefined;
    bytes[i] = b;
  }
  return bytes;
}
