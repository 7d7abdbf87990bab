import { describe, expect, it } from 'vitest';
import { fitWeightedLength, weightedLength, withDisclosure } from './weighted-length.js';

describe('weightedLength', () => {
  it('counts URLs as 23, emoji and CJK as 2, Latin as 1', () => {
    expect(weightedLength('hello')).toBe(5);
    expect(weightedLength('https://example.com/a/very/long/path/indeed/yes')).toBe(23);
    expect(weightedLength('👋')).toBe(2);
    expect(weightedLength('日本')).toBe(4);
  });
});

describe('fitWeightedLength', () => {
  it('leaves text that fits alone (trimmed, NFC)', () => {
    expect(fitWeightedLength('  short tweet  ')).toBe('short tweet');
    expect(fitWeightedLength('e\u0301')).toBe('\u00e9');
  });

  it('cuts too-long text at a word boundary to weighted length <= 280', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`);
    const fitted = fitWeightedLength(words.join(' '));
    expect(weightedLength(fitted)).toBeLessThanOrEqual(280);
    expect(weightedLength(fitted)).toBeGreaterThan(270);
    expect(words.join(' ').startsWith(fitted)).toBe(true);
    expect(words).toContain(fitted.split(' ').at(-1));
  });

  it('counts URLs as 23 and emoji as 2 when deciding where to cut, and never splits a URL', () => {
    const url = 'https://example.com/' + 'p'.repeat(100);
    const text = `${'🐦 '.repeat(40)}${url} ${'日本語 '.repeat(40)}`;
    const fitted = fitWeightedLength(text);
    expect(weightedLength(fitted)).toBeLessThanOrEqual(280);
    expect(fitted).toContain(url);
    // 40 birds (2 each) + 40 spaces + the URL (23) + one space = 144; each "日本語 " adds 7.
    expect(weightedLength(fitted)).toBe(144 + 19 * 7 - 1);
    expect(text.startsWith(fitted)).toBe(true);
  });

  it('cuts one enormous word between code points, never inside a surrogate pair', () => {
    const fitted = fitWeightedLength('😀'.repeat(200));
    expect(weightedLength(fitted)).toBe(280);
    expect(Array.from(fitted).every((c) => c === '😀')).toBe(true);
  });

  it('honours a smaller limit', () => {
    expect(fitWeightedLength('one two three four', 9)).toBe('one two');
  });

  it('fits the text with the disclosure after it, measured together', () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    const fitted = fitWeightedLength(words.join(' '), 280, '🤖');
    // The emoji weighs 2 and the space 1: the text itself gets 277.
    expect(weightedLength(withDisclosure(fitted, '🤖'))).toBeLessThanOrEqual(280);
    expect(weightedLength(fitted)).toBeGreaterThan(270);
    expect(weightedLength(fitted)).toBeLessThanOrEqual(277);
    expect(fitWeightedLength('short', 280, '🤖')).toBe('short');
    expect(withDisclosure('short', '')).toBe('short');
    expect(withDisclosure('short', '🤖')).toBe('short 🤖');
  });
});
