import { describe, expect, it } from 'vitest';
import { cleanGeneratedText } from './clean-text.js';

describe('cleanGeneratedText', () => {
  it('cuts at <|endoftext|> and trims', () => {
    expect(cleanGeneratedText('  hello world <|endoftext|>next doc')).toBe('hello world');
  });
  it('drops leading end-of-text markers instead of returning nothing', () => {
    expect(cleanGeneratedText('<|endoftext|>\n hi there<|endoftext|>')).toBe('hi there');
  });
  it('leaves ordinary text alone', () => {
    expect(cleanGeneratedText('a < b | c > d')).toBe('a < b | c > d');
  });
});

describe('cleanGeneratedText and invisible characters', () => {
  it('strips bidirectional overrides and zero-width characters, so a marker split by one still counts', () => {
    expect(cleanGeneratedText('\u202Egnp.exe\u202C is fine')).toBe('gnp.exe is fine');
    expect(cleanGeneratedText('hi<|endof\u200Btext|>rest')).toBe('hi');
  });
});
