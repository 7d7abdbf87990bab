import { createOutputFilter } from '@mimicbot/functions-shared';
import { describe, expect, it } from 'vitest';
import { StreamCleaner } from './stream-cleaner.js';

const filter = createOutputFilter({ words: ['badword'] });

function run(deltas: string[]) {
  const cleaner = new StreamCleaner(filter);
  const sent: string[] = [];
  let blocked: string[] | undefined;
  for (const delta of deltas) {
    const step = cleaner.push(delta);
    if (step.text) sent.push(step.text);
    blocked ??= step.blocked;
    if (step.stop) break;
  }
  const last = cleaner.end();
  if (last.text) sent.push(last.text);
  blocked ??= last.blocked;
  return { sent, blocked, emitted: cleaner.emitted };
}

describe('StreamCleaner', () => {
  it('sends whole words as they complete, the last one at the end', () => {
    expect(run([' Hel', 'lo', ' wor', 'ld', ' again'])).toEqual({ sent: ['Hello', ' world', ' again'], blocked: undefined, emitted: 'Hello world again' });
  });

  it('stops at <|endoftext|>, even split across deltas, and never sends any of it', () => {
    const result = run(['one two', ' <|endo', 'ftext|>', ' three']);
    expect(result.sent.join('')).toBe('one two');
    expect(result.emitted).not.toContain('<|');
  });

  it('skips leading markers and whitespace', () => {
    expect(run(['<|endoftext|>', '\n\n  first', ' words']).sent.join('')).toBe('first words');
  });

  it('stops before a blocked word, having sent only the clean words before it', () => {
    const result = run(['this is', ' a bad', 'word', ' indeed']);
    expect(result.sent.join('')).toBe('this is a');
    expect(result.blocked).toEqual(['badword']);
  });

  it('checks the last word too', () => {
    expect(run(['fine then ', 'BADWORD']).blocked).toEqual(['badword']);
  });

  it('strips bidirectional overrides, and blocks a word split by a zero-width space', () => {
    expect(run([' look \u202Eright', '\u202C here']).emitted).toBe('look right here');
    expect(run([' so bad\u200B', 'word today'])).toMatchObject({ sent: ['so'], blocked: ['badword'] });
  });
});
