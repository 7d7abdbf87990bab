import { describe, expect, it } from 'vitest';
import { isEmptySample, shapeSample } from './gpt2-simple-sample.js';

describe('gpt-2-simple sample shaping', () => {
  it('cuts at the truncate delimiter and keeps the prompt when include_prefix is true', () => {
    const text = shapeSample('I think', ' cats rule<|endoftext|>other', {
      truncate: '<|endoftext|>',
      includePrefix: true,
    });
    expect(text).toBe('I think cats rule');
  });

  it('drops the prompt when include_prefix is false', () => {
    expect(shapeSample('I think', ' cats', { includePrefix: false })).toBe(' cats');
  });

  it('keeps the whole text when the delimiter never appears', () => {
    expect(shapeSample('', 'no end', { truncate: '\n', includePrefix: true })).toBe('no end');
  });

  it('strips leading newlines like gpt-2-simple', () => {
    expect(shapeSample('', '\n\nhello\n', { includePrefix: true })).toBe('hello\n');
  });

  it('calls a sample empty when nothing but whitespace was generated before the delimiter', () => {
    expect(isEmptySample('\n<|endoftext|>x', { truncate: '<|endoftext|>', includePrefix: true })).toBe(true);
    expect(isEmptySample('x', { includePrefix: true })).toBe(false);
  });
});
