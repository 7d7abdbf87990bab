/**
 * Debian's `fortunes` as a corpus of short posts, for the default model. A fortune file is plain text with
 * entries separated by lines holding only `%`. Entries are re-flowed into one paragraph (fortune files
 * wrap at ~72 columns; posts do not), keeping an attribution (`-- Mark Twain`) on a line of its own, and
 * only entries of at most `maxChars` characters are kept (tweet-sized, 280 by default).
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
  const seen = new Set<string>();
  const posts: string[] = [];
  for (const text of files) {
    for (const entry of parseFortunes(text)) {
      if ([...entry].length > maxChars || seen.has(entry)) continue;
      seen.add(entry);
      posts.push(entry);
    }
  }
  return posts;
}
