/**
 * Ambrose Bierce's *The Devil's Dictionary* (1911, public domain; Debian's `dict-devil`, apt-get install
 * dict-devil) as short entries for the default model's training side: the same dry wit the fortunes quote
 * from it. The package is a dictd database: `devil.index` lists each headword with its offset and length
 * in dictd's base64, into `devil.dict.dz` (gzip). Each entry is re-flowed like a fortune: paragraphs become
 * lines, wrapped lines are joined, cross-reference braces (`{ACADEME}`) dropped.
 */

const DICTD_BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A dictd base64 number ("CGZ"), most significant digit first. */
export function dictdNumber(text: string): number {
  let n = 0;
  for (const ch of text) {
    const digit = DICTD_BASE64.indexOf(ch);
    if (digit < 0) throw new Error(`not a dictd base64 number: ${JSON.stringify(text)}`);
    n = n * 64 + digit;
  }
  return n;
}

/** Every dictionary entry (database headers `00database*` left out), in index order, re-flowed. */
export function devilEntries(index: string, dict: Uint8Array): string[] {
  const decoder = new TextDecoder();
  const entries: string[] = [];
  for (const line of index.split('\n')) {
    const [word, offset, length] = line.split('\t');
    if (!word || word.startsWith('00database') || offset === undefined || length === undefined) continue;
    const start = dictdNumber(offset);
    const entry = reflowEntry(decoder.decode(dict.subarray(start, start + dictdNumber(length))));
    if (entry) entries.push(entry);
  }
  return entries;
}

function reflowEntry(text: string): string {
  return text
    .replace(/[{}]/g, '')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.split('\n').map((l) => l.trim()).filter(Boolean).join(' ').replace(/\s+/g, ' '))
    .filter(Boolean)
    .join('\n');
}
