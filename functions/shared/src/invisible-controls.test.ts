import { describe, expect, it } from 'vitest';
import { stripInvisibleControls } from './invisible-controls.js';

describe('stripInvisibleControls', () => {
  it('removes bidirectional overrides, embeddings, isolates and marks', () => {
    // "Trojan Source": U+202E makes "txt.exe" display reversed.
    expect(stripInvisibleControls('open \u202Eexe.txt\u202C now')).toBe('open exe.txt now');
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C']) {
      expect(stripInvisibleControls(`a${c}b`)).toBe('ab');
    }
  });

  it('removes zero-width and other invisible characters that could split a word past the filter', () => {
    for (const c of ['\u200B', '\u2060', '\u2061', '\u2064', '\uFEFF', '\u00AD', '\u180E', '\u206A', '\u206F', '\uFFF9', '\u{E0001}', '\u{E0041}']) {
      expect(stripInvisibleControls(`ba${c}dword`)).toBe('badword');
    }
  });

  it('removes C0 and C1 controls but keeps tab and newline, turning CR and CRLF into newlines', () => {
    expect(stripInvisibleControls('a\u0000b\u0007c\u001B[31md\u007F\u0085e')).toBe('abc[31mde');
    expect(stripInvisibleControls('one\ttwo\nthree\r\nfour\rfive')).toBe('one\ttwo\nthree\nfour\nfive');
  });

  it('keeps what real text needs: ZWJ emoji, ZWNJ, variation selectors, subdivision flags, accents and RTL letters', () => {
    const kept = ['👩\u200D💻', 'می\u200Cخواهم', '❤\uFE0F', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}', 'café', 'שלום', 'مرحبا'];
    for (const text of kept) expect(stripInvisibleControls(text)).toBe(text);
  });
});
