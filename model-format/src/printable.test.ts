import { describe, expect, it } from 'vitest';
import { looksBinary, printable } from './printable.js';

describe('printable', () => {
  it('replaces control characters, bidi overrides, line breaks and invalid UTF-8 with ?', () => {
    expect(printable('a\u0000\u0001b\u202Ec\nd\u2028e\uFFFDf\u001b[31m')).toBe('a?b?c?d?e?f?[31m');
  });

  it('keeps letters, marks, symbols and emoji of any script', () => {
    expect(printable('naïve 日本 🎉 — “quoted” 👩‍👩‍👧')).toBe('naïve 日本 🎉 — “quoted” 👩‍👩‍👧');
    expect(printable('a\u2066b\u200Fc')).toBe('a?b?c');
  });

  it('cuts long text with an ellipsis, counting characters rather than UTF-16 units', () => {
    expect(printable('🎉'.repeat(10), 5)).toBe('🎉🎉🎉🎉…');
    expect(printable('abc', 3)).toBe('abc');
  });
});

describe('looksBinary', () => {
  it('tells bytes from text: NUL, other C0 controls and U+FFFD are binary; tabs and newlines are not', () => {
    expect(looksBinary('{"a": 1}\n\t\r')).toBe(false);
    expect(looksBinary('PK\u0003\u0004')).toBe(true);
    expect(looksBinary('\uFFFD\uFFFD')).toBe(true);
  });
});
