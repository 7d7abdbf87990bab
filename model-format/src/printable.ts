/**
 * Text that is safe to print on one line of a terminal or a log: anything a user file may hold (NUL, escape
 * sequences, invalid UTF-8 decoded as U+FFFD, bidirectional overrides such as U+202E, line breaks) is
 * replaced by `?`, and long text is cut to `maxChars` with an ellipsis.
 */

// Control and format characters (Cc, Cf: includes the bidi controls), line and paragraph separators,
// private use, unpaired surrogates, and the replacement character left by invalid UTF-8. The zero-width
// (non-)joiners are format characters too, but harmless and part of emoji and of several scripts.
const UNPRINTABLE = /(?:[\p{Cc}\p{Co}\p{Cs}\p{Zl}\p{Zp}\uFFFD]|(?![\u200C\u200D])\p{Cf})+/gu;

export function printable(text: string, maxChars = 200): string {
  const clean = text.replace(UNPRINTABLE, '?');
  const chars = [...clean];
  return chars.length <= maxChars ? clean : `${chars.slice(0, maxChars - 1).join('')}…`;
}

/** True when the text looks like binary data rather than text: NUL, other C0 controls, or invalid UTF-8. */
export function looksBinary(text: string): boolean {
  // Tab, line feed and carriage return are text; every other C0 control and U+FFFD is not.
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/.test(text);
}
