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
