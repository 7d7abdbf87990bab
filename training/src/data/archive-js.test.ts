import { describe, expect, it } from 'vitest';
import { ArchiveJsReader, parseArchiveJs, readArchiveJs } from './archive-js.js';

/** Records whose text holds everything the scanner must not take for structure. */
const RECORDS = [
  { tweet: { id_str: '1', full_text: 'commas, [brackets] and {braces}' } },
  { tweet: { id_str: '2', full_text: 'an escaped \\" quote and a backslash \\\\ at the end\\' } },
  { tweet: { id_str: '3', full_text: 'emoji 😀 and ünïcödé, "quoted"', entities: { urls: [[1, 2], { a: [] }] } } },
  [1, 2, 3],
  'a bare string, with a comma',
  42,
  null,
];
const TEXT = `\uFEFFwindow.YTD.tweets.part0 = ${JSON.stringify(RECORDS, null, 2)};\n`;

function readInPieces(text: string, cut: (i: number) => boolean, maxRecordChars?: number) {
  const values: unknown[] = [];
  const skipped: [number, number, string][] = [];
  const reader = new ArchiveJsReader('f.js', { onRecord: (v) => values.push(v), onSkipped: (...s) => skipped.push(s) }, maxRecordChars);
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || cut(i)) {
      reader.push(text.slice(start, i));
      start = i;
    }
  }
  reader.end();
  return { values, skipped };
}

describe('ArchiveJsReader', () => {
  it('reads every element as JSON.parse would, whole or cut into pieces anywhere', () => {
    expect(parseArchiveJs('f.js', TEXT)).toEqual(RECORDS);
    for (const size of [1, 2, 3, 7, 64]) expect(readInPieces(TEXT, (i) => i % size === 0).values, `pieces of ${size}`).toEqual(RECORDS);
  });

  it('reads the bytes of a stream, a multi-byte character split between chunks included', async () => {
    const bytes = new TextEncoder().encode(TEXT);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 5) yield bytes.subarray(i, i + 5);
    }
    const values: unknown[] = [];
    await readArchiveJs('f.js', chunks(), { onRecord: (v) => values.push(v) });
    expect(values).toEqual(RECORDS);
  });

  it('skips an element longer than the limit without keeping it, with its index and line, and reads on', () => {
    const text = `window.YTD.tweets.part0 = [\n{"a": "short"},\n{"b": "${'x'.repeat(500)}"},\n{"c": "after"}\n]`;
    for (const size of [1, 13, text.length]) {
      expect(readInPieces(text, (i) => i % size === 0, 100)).toEqual({
        values: [{ a: 'short' }, { c: 'after' }],
        skipped: [[1, 3, 'longer than 100 characters; not a post']],
      });
    }
  });

  it('accepts an empty array and a trailing semicolon, and nothing after the array', () => {
    expect(parseArchiveJs('f.js', 'window.YTD.like.part0 = [ ]')).toEqual([]);
    expect(parseArchiveJs('f.js', 'window.YTD.like.part0 = [1];  \n')).toEqual([1]);
    expect(() => parseArchiveJs('f.js', 'window.YTD.like.part0 = [1]\n;x')).toThrow(/^f\.js:2: the data after "=" is not valid JSON \(more text after its closing "\]"\)/);
  });

  it('names the file and line of what is wrong', () => {
    expect(() => parseArchiveJs('f.js', 'var x = [1]')).toThrow('f.js: not an X archive data file');
    expect(() => parseArchiveJs('f.js', `window.${'x'.repeat(300)}`)).toThrow('f.js: not an X archive data file');
    expect(() => parseArchiveJs('f.js', 'window.YTD.a.part0 = {"a": 1}')).toThrow('f.js:1: the data after "=" is not a JSON array');
    expect(() => parseArchiveJs('f.js', 'window.YTD.a.part0 = [\n{"a": 1},\n{"b": 2')).toThrow('f.js:3: the data after "=" ends before its closing "]" (is the file cut off?)');
    expect(() => parseArchiveJs('f.js', 'window.YTD.a.part0 = [\n{"a": 1},\n\n  {"b": tru}\n]')).toThrow(/^f\.js:4: the data after "=" is not valid JSON \(/);
    expect(() => parseArchiveJs('f.js', 'window.YTD.a.part0 =')).toThrow('f.js:1: the data after "=" is not a JSON array');
  });
});
