import { describe, expect, it } from 'vitest';
import { LineSplitter, type SplitLine } from './line-splitter.js';

function split(text: string, maxLineBytes: number, pieceBytes: number): SplitLine[] {
  const lines: SplitLine[] = [];
  const splitter = new LineSplitter(maxLineBytes, (line) => lines.push(line));
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += pieceBytes) splitter.push(bytes.subarray(i, i + pieceBytes));
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('gives the same numbered lines however the bytes are cut, a character split in two included', () => {
    const text = 'first\n\nthird é 😀\r\nlast without newline';
    const expected = [
      { number: 1, text: 'first' },
      { number: 2, text: '' },
      { number: 3, text: 'third é 😀\r' },
      { number: 4, text: 'last without newline' },
    ];
    for (const size of [1, 2, 3, 5, 100]) expect(split(text, 1000, size), `pieces of ${size}`).toEqual(expected);
    expect(split('a\n', 1000, 1)).toEqual([{ number: 1, text: 'a' }]);
    expect(split('', 1000, 1)).toEqual([]);
  });

  it('reports a line over the limit by its length only, and goes on with the next', () => {
    for (const size of [1, 4, 64]) {
      expect(split(`ok\n${'x'.repeat(20)}\nfine\n${'y'.repeat(11)}`, 10, size)).toEqual([
        { number: 1, text: 'ok' },
        { number: 2, tooLongBytes: 20 },
        { number: 3, text: 'fine' },
        { number: 4, tooLongBytes: 11 },
      ]);
    }
    expect(split('x'.repeat(10), 10, 3)).toEqual([{ number: 1, text: 'x'.repeat(10) }]); // at the limit is kept
  });
});
