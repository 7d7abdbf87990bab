import { describe, expect, it } from 'vitest';
import { newDraft, type DraftStep } from '../reply/draft.js';
import {
  refuseBrokenText,
  refuseNoWords,
  refuseRepeatedCharacter,
  refuseRepeatedPhrase,
  refuseTooShort,
  wordsOf,
} from './degenerate-steps.js';

const verdict = (step: DraftStep, text: string) => {
  const result = step(newDraft(text, { finishReason: 'stop', draw: 1, choice: 0 }), { prompt: '' });
  return 'rejected' in result ? result.rejected : 'passed';
};

describe('the degenerate-draft checks', () => {
  it("turn down issue 11's drafts, each for what is wrong with it", () => {
    expect(verdict(refuseRepeatedCharacter(4), '…ch was wililit ck ommbommmmmmm')).toBe('repeated_character');
    expect(verdict(refuseRepeatedCharacter(4), '…ferierieierierier…rrrrrrierrr…ttttttt')).toBe('repeated_character');
    expect(verdict(refuseRepeatedPhrase(2), '…ferierieierierier…')).toBe('repeated_phrase');
  });

  it('let ordinary emphasis through: the thresholds are where human text starts to fail', () => {
    expect(verdict(refuseRepeatedCharacter(4), 'SHHHH!! I am NOT a nut....')).toBe('passed');
    expect(verdict(refuseRepeatedCharacter(4), 'sooooo good')).toBe('repeated_character');
    expect(verdict(refuseRepeatedPhrase(2), 'I like that that was it, my my.')).toBe('passed');
    expect(verdict(refuseRepeatedPhrase(2), 'Thank you. Thank you. Thank you. Thank you.')).toBe('repeated_phrase');
  });

  it('turn down replacement characters and broken surrogates', () => {
    expect(verdict(refuseBrokenText, 'BeAHAH\uFFFDLY income')).toBe('broken_text');
    expect(verdict(refuseBrokenText, 'half a pair \uD83D here')).toBe('broken_text');
    expect(verdict(refuseBrokenText, 'a whole pair 😀 is fine')).toBe('passed');
  });

  it('turn down a draft of punctuation, numbers, mentions or links only', () => {
    expect(verdict(refuseNoWords, '?!? ...')).toBe('no_words');
    expect(verdict(refuseNoWords, '@alice @bob 2024!')).toBe('no_words');
    expect(verdict(refuseNoWords, 'https://example.com/a-word')).toBe('no_words');
    expect(verdict(refuseNoWords, '@alice yes')).toBe('passed');
    expect(verdict(refuseNoWords, '#blessed')).toBe('passed');
  });

  it('turn down a draft of fewer words than asked', () => {
    expect(verdict(refuseTooShort(2), 'Yow!')).toBe('too_short');
    expect(verdict(refuseTooShort(2), '@bob Yow!')).toBe('too_short');
    expect(verdict(refuseTooShort(2), 'Yow, Zippy!')).toBe('passed');
    expect(verdict(refuseTooShort(3), 'Yow, Zippy!')).toBe('too_short');
  });
});

describe('wordsOf', () => {
  it('counts words with apostrophes, hyphens and digits inside, and leaves mentions and links out', () => {
    expect(wordsOf("I'm a well-known 3rd-rate @bot at http://x.co/y, 42 times")).toEqual(["I'm", 'a', 'well-known', '3rd-rate', 'at', 'times']);
    expect(wordsOf('Ça va? 日本語')).toEqual(['Ça', 'va', '日本語']);
  });
});
