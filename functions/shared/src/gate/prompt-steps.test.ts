import { describe, expect, it } from 'vitest';
import { newDraft, reshape, type DraftStep } from '../reply/draft.js';
import { joinToPrompt, refuseEcho, refuseGlued, runsIntoPrompt, separatorAfterPrompt } from './prompt-steps.js';

const verdict = (step: DraftStep, prompt: string, raw: string, continuation = raw.trim()) => {
  const draft = reshape(newDraft(raw, { finishReason: 'stop', draw: 1, choice: 0 }), continuation);
  const result = step(draft, { prompt });
  return 'rejected' in result ? result.rejected : 'passed';
};

describe('refuseGlued', () => {
  it("turns down a continuation that runs on inside the prompt's last word (issue 11's Slack reply)", () => {
    expect(verdict(refuseGlued, 'tell me a secret', 'tempt friends.')).toBe('glued');
    expect(verdict(refuseGlued, 'Monday again', 's afract that mother')).toBe('glued');
  });

  it('lets through a continuation that starts a word, punctuation, or a new text, and any after an empty prompt', () => {
    expect(verdict(refuseGlued, 'tell me a secret', ' about the moon.')).toBe('passed');
    expect(verdict(refuseGlued, 'tell me a secret', ', she said.')).toBe('passed');
    expect(verdict(refuseGlued, 'tell me a secret', '<|endoftext|>Another one.')).toBe('passed');
    expect(verdict(refuseGlued, 'Why?', 'Because.')).toBe('passed');
    expect(verdict(refuseGlued, '', 'Because.')).toBe('passed');
  });

  it('sees through an invisible character between the prompt and the word', () => {
    expect(runsIntoPrompt('a secret', '\u200Btempt')).toBe(true);
  });
});

describe('joinToPrompt', () => {
  it("puts prompt and continuation together with the model's own space, one line break, or nothing before punctuation", () => {
    expect(joinToPrompt('tell me a secret', ' about the moon.', 'about the moon.')).toBe('tell me a secret about the moon.');
    expect(joinToPrompt('tell me a secret', '   \n\n  Never.', 'Never.')).toBe('tell me a secret\nNever.');
    expect(joinToPrompt('tell me a secret', ', she said.', ', she said.')).toBe('tell me a secret, she said.');
    expect(joinToPrompt('tell me a secret', '<|endoftext|>Other.', 'Other.')).toBe('tell me a secret\nOther.');
    expect(joinToPrompt('', ' Hello.', 'Hello.')).toBe('Hello.');
    expect(separatorAfterPrompt('x', '\t y')).toBe(' ');
  });
});

describe('refuseEcho', () => {
  it('turns down a continuation that only says part of the prompt again', () => {
    expect(verdict(refuseEcho, 'tell me a secret', ' tell me')).toBe('echo');
    expect(verdict(refuseEcho, 'Tell me a SECRET', ' a secret!')).toBe('echo');
  });

  it('turns down a continuation that repeats a prompt of three or more words', () => {
    expect(verdict(refuseEcho, 'tell me a secret', ' and then: tell me a secret, tell me.')).toBe('echo');
    expect(verdict(refuseEcho, 'I think', ' so, and I think it will rain.')).toBe('passed');
  });

  it('lets a continuation that says something new through', () => {
    expect(verdict(refuseEcho, 'tell me a secret', ' about the moon.')).toBe('passed');
    expect(verdict(refuseEcho, '', ' anything at all')).toBe('passed');
  });
});
