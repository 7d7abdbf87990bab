import { describe, expect, it } from 'vitest';
import { newDraft, type Draft } from '../reply/draft.js';
import { cutAtLength, cutBackToSentence, lastSentenceEnd } from './cut-at-length.js';

const draft = (text: string, finishReason: string | null): Draft => newDraft(text, { finishReason, draw: 1, choice: 0 });
const cut = (text: string, finishReason: string | null = 'length') => (cutAtLength(draft(text, finishReason), { prompt: '' }) as Draft).text;

describe('lastSentenceEnd', () => {
  it('finds the end of the last sentence, closing quotes and brackets included', () => {
    expect(lastSentenceEnd('One. Two! Three')).toBe(9);
    expect(lastSentenceEnd('He said "stop." Then')).toBe(15);
    expect(lastSentenceEnd('Really?! Yes')).toBe(8);
    expect(lastSentenceEnd('Wait… what')).toBe(5);
  });

  it('takes a line break for a sentence end, the end before it', () => {
    expect(lastSentenceEnd('A fortune without a full stop\n-- Some B')).toBe(29);
    expect(lastSentenceEnd('\n\nfirst words')).toBe(-1);
  });

  it('takes the very end of a whole text for a sentence end, but not of one that may go on', () => {
    expect(lastSentenceEnd('Done. Also done.')).toBe(16);
    expect(lastSentenceEnd('Done. Also done.', { whole: false })).toBe(5);
    expect(lastSentenceEnd('Done. Also', { whole: false })).toBe(5);
  });

  it('does not take a dot inside a word or number for a sentence end', () => {
    expect(lastSentenceEnd('version 1.2 of node.js is')).toBe(-1);
    expect(lastSentenceEnd('')).toBe(-1);
  });
});

describe('cutBackToSentence', () => {
  it('cuts the issue-11 draft back to its last full sentence', () => {
    expect(cutBackToSentence('Q: A women a contaition is it not is think one. <etor> Let o')).toBe('Q: A women a contaition is it not is think one.');
  });

  it('without a sentence end, drops the last (maybe unfinished) word and the punctuation before it', () => {
    expect(cutBackToSentence('the best thing about Mondays is the co')).toBe('the best thing about Mondays is the');
    expect(cutBackToSentence('cats, dogs and mo, ja')).toBe('cats, dogs and mo');
    expect(cutBackToSentence('one more -- thi')).toBe('one more');
  });

  it('leaves nothing of a single word', () => {
    expect(cutBackToSentence('Lorem')).toBe('');
    expect(cutBackToSentence('  ')).toBe('');
  });

  it("drops a fortune's unfinished attribution line", () => {
    expect(cutBackToSentence('Life is what happens to you\n-- John Len')).toBe('Life is what happens to you');
  });

  it('keeps a text that already ends a sentence', () => {
    expect(cutBackToSentence('All done here.')).toBe('All done here.');
  });
});

describe('cutAtLength', () => {
  it('cuts only drafts that hit the token limit', () => {
    expect(cut('It was fine. Then it wa')).toBe('It was fine.');
    expect(cut('It was fine. Then it wa', 'stop')).toBe('It was fine. Then it wa');
    expect(cut('It was fine. Then it wa', null)).toBe('It was fine. Then it wa');
  });

  it('leaves a draft alone when the model ended its text before the limit', () => {
    const ended = newDraft(' Short and whole<|endoftext|>Next docu', { finishReason: 'length', draw: 1, choice: 0 });
    expect(cutAtLength({ ...ended, text: 'Short and whole', continuation: 'Short and whole' }, { prompt: '' })).toMatchObject({ text: 'Short and whole' });
  });

  it('cuts the continuation and keeps the raw text for scoring', () => {
    const result = cutAtLength(draft('Fine. Bro', 'length'), { prompt: '' }) as Draft;
    expect(result).toMatchObject({ text: 'Fine.', continuation: 'Fine.', raw: 'Fine. Bro' });
  });
});
