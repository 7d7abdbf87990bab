/**
 * GPT-2's reversible map from the 256 byte values to printable unicode characters (openai/gpt-2
 * `encoder.py: bytes_to_unicode`). Printable Latin-1 bytes map to themselves; the other 68 (control
 * characters, space, 0x7F-0xA0, 0xAD) map to U+0100 onwards, so a space becomes "Ġ" (U+0120).
 * Byte-level BPE vocabularies are written in these characters.
 */
export function bytesToUnicode(): string[] {
  const printable = (b: number) =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const chars: string[] = new Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    chars[b] = String.fromCharCode(printable(b) ? b : next++);
  }
  return chars;
}
