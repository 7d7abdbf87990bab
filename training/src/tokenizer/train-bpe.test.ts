import { describe, expect, it } from 'vitest';
import { byteLevelString } from './pre-tokenize.js';
import { trainBpe } from './train-bpe.js';
import type { LearnedBpe } from './learned-bpe.js';

const spelled = (learned: LearnedBpe) => learned.tokens.slice(256).map(byteLevelString);
const byte = (ch: string) => ch.charCodeAt(0);

describe('trainBpe', () => {
  it('merges the most frequent pair first, counting each word as often as it occurs', () => {
    // "ug" occurs 5 times (hug x3, pug, bug); then "hug" 3 times; then "pu" and "un" twice each, and p < u.
    const learned = trainBpe(['hug', 'hug', 'hug', 'pug', 'bug', 'pun', 'pun'], { vocabSize: 257 + 3 });
    expect(spelled(learned)).toEqual(['ug', 'hug', 'pu']);
    expect(learned.merges[0]).toEqual({ left: byte('u'), right: byte('g'), result: 256 });
  });

  it('breaks ties by the smaller left id, then the smaller right id, so the same text gives the same merges', () => {
    // "ab", "cd" and "ce" each occur twice: "ab" wins (a < c), then "cd" (d < e).
    const texts = ['ce', 'cd', 'ab', 'cd', 'ce', 'ab'];
    const learned = trainBpe(texts, { vocabSize: 257 + 3 });
    expect(spelled(learned)).toEqual(['ab', 'cd', 'ce']);
    expect(trainBpe([...texts].reverse(), { vocabSize: 257 + 3 })).toEqual(learned);
  });

  it('never merges across a word boundary of GPT-2\'s pre-tokenizer', () => {
    const learned = trainBpe(['end. end. end. end.'], { vocabSize: 300 });
    // "." and "Ġ" meet four times in the text, but always in different words (".", " end").
    expect(spelled(learned).some((t) => t.includes('.Ġ'))).toBe(false);
    expect(spelled(learned)).toContain('Ġend');
  });

  it('stops at the vocabulary size, keeping one id for <|endoftext|>', () => {
    const text = 'the quick brown fox jumps over the lazy dog '.repeat(20);
    expect(trainBpe([text], { vocabSize: 270 }).tokens).toHaveLength(269);
  });

  it('stops early when no pair occurs twice', () => {
    // "abc" and " abc" once each: "ab" and "abc" occur twice, " abc" once.
    const learned = trainBpe(['abc abc'], { vocabSize: 1000 });
    expect(spelled(learned)).toEqual(['ab', 'abc']);
    expect(trainBpe(['abc abc'], { vocabSize: 1000, minFrequency: 3 }).merges).toHaveLength(0);
  });

  it('merges repeated symbols left to right without overlap', () => {
    const learned = trainBpe(['aaaaaa', 'aaaaaa'], { vocabSize: 257 + 2 });
    expect(spelled(learned)).toEqual(['aa', 'aaaa']);
  });

  it('learns from bytes, so any unicode text trains', () => {
    const learned = trainBpe(['日本 日本 🎉🎉'], { vocabSize: 300 });
    expect(spelled(learned)).toContain(byteLevelString(new TextEncoder().encode('日本')));
  });

  it('reports progress after each merge', () => {
    const seen: [number, number][] = [];
    trainBpe(['hug', 'hug', 'hug', 'pug', 'bug', 'pun', 'pun'], { vocabSize: 260, onProgress: (done, wanted) => seen.push([done, wanted]) });
    expect(seen).toEqual([[1, 3], [2, 3], [3, 3]]);
  });

  it('rejects a vocabulary with no room beyond the bytes and <|endoftext|>', () => {
    expect(() => trainBpe(['x'], { vocabSize: 256 })).toThrow(/at least 257/);
  });
});
