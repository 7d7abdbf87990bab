/**
 * Strips the characters that change how text displays, or hide parts of it, without being seen. Every
 * surface runs generated text through this before showing or posting it:
 * - bidirectional embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F,
 *   U+061C) make a line read differently from what it says ("Trojan Source", CVE-2021-42574);
 * - zero-width and other invisible format characters (U+200B, U+2060–U+2064, U+FEFF, U+00AD, U+180E,
 *   U+206A–U+206F, U+FFF9–U+FFFB, stray tag characters) can split a word so the output filter misses it
 *   ("f\u200Buck") or smuggle hidden text;
 * - C0 and C1 controls other than tab and newline can drive the terminal of whoever reads the logs.
 * Kept on purpose: ZWNJ and ZWJ (U+200C/U+200D; emoji sequences, Persian and Indic scripts), variation
 * selectors (emoji presentation), and tag characters inside an emoji tag sequence (subdivision flags).
 */

const INVISIBLE =
  /(\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F})|[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/gu;

export function stripInvisibleControls(text: string): string {
  // CRLF and lone CR become newlines first, so a line break survives as one.
  return text.replace(/\r\n?/g, '\n').replace(INVISIBLE, (_match, flag: string | undefined) => flag ?? '');
}
