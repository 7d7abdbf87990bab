/**
 * Debian's `fortunes` as a corpus of short posts, for the default model. A fortune file is plain text with
 * entries separated by lines holding only `%`. Entries are re-flowed into one paragraph (fortune files
 * wrap at ~72 columns; posts do not), keeping an attribution (`-- Mark Twain`) on a line of its own, and
 * only entries of at most `maxChars` characters are kept (tweet-sized, 280 by default).
 *
 * The longer entries (`longFortunes`) are the same voice from the same files; the default model trains on
 * them too, never validates on them, and drops any that quotes a held-out post (`withoutHeldOut`).
 */
export interface FortuneOptions {
  maxChars?: number;
}

/** Entries of one fortune file, re-flowed. */
export function parseFortunes(text: string): string[] {
  return text
    .split(/^%\r?$/m)
    .map(reflow)
    .filter((entry) => entry.length > 0);
}

/** Joins wrapped lines with single spaces; a line starting with `--` (an attribution) starts a new line. */
function reflow(entry: string): string {
  const lines = entry
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const out: string[] = [];
  for (const line of lines) {
    if (out.length === 0 || line.startsWith('--')) out.push(line);
    else out[out.length - 1] += ` ${line}`;
  }
  return out.map((l) => l.replace(/\s+/g, ' ')).join('\n');
}

/** Every entry of the given files, deduplicated (first kept), at most `maxChars` long. */
export function fortuneCorpus(files: readonly string[], options: FortuneOptions = {}): string[] {
  const maxChars = options.maxChars ?? 280;
  return uniqueEntries(files).filter((entry) => [...entry].length <= maxChars);
}

/** The entries that `fortuneCorpus` leaves out for being longer than `maxChars`, deduplicated. */
export function longFortunes(files: readonly string[], options: FortuneOptions = {}): string[] {
  const maxChars = options.maxChars ?? 280;
  return uniqueEntries(files).filter((entry) => [...entry].length > maxChars);
}

function uniqueEntries(files: readonly string[]): string[] {
  return [...new Set(files.flatMap(parseFortunes))];
}

/**
 * `texts` less every one that contains a held-out post's wording: its lines other than the attribution,
 * compared in lower case with punctuation and spacing ignored. Text added for training must not teach the
 * model the validation set; a quote held out with one attribution may appear in a long entry with another.
 */
export function withoutHeldOut(texts: readonly string[], heldOut: readonly string[], minChars = 24): string[] {
  const quotes = heldOut.map((post) => wording(post.split('\n').filter((line) => !line.startsWith('--')).join(' '))).filter((q) => q.length >= minChars);
  return texts.filter((text) => {
    const haystack = wording(text);
    return !quotes.some((quote) => haystack.includes(quote));
  });
}

function wording(text: string): string {
  return ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}
