import { createOutputFilter } from '@mimicbot/functions-shared';
import { describe, expect, it } from 'vitest';
import { StreamCleaner, type StreamCheck } from './stream-cleaner.js';

const filter = createOutputFilter({ words: ['badword'] });
const filtered = (text: string) => (filter.isAllowed(text) ? undefined : 'filtered');

function run(deltas: string[], check: StreamCheck = filtered) {
  const cleaner = new StreamCleaner(check);
  const sent: string[] = [];
  let rejected: string | undefined;
  for (const delta of deltas) {
    const step = cleaner.push(delta);
    if (step.text) sent.push(step.text);
    rejected ??= step.rejected;
    if (step.stop) break;
  }
  const last = cleaner.end();
  if (last.text) sent.push(last.text);
  rejected ??= last.rejected;
  return { sent, rejected, emitted: cleaner.emitted };
}

describe('StreamCleaner', () => {
  it('sends whole sentences as they complete, the last one at the end', () => {
    expect(run([' Hel', 'lo there.', ' How', ' are you?', ' Fine', ' thanks'])).toEqual({
      sent: ['Hello there.', ' How are you?', ' Fine thanks'],
      rejected: undefined,
      emitted: 'Hello there. How are you? Fine thanks',
    });
  });

  it('takes a line break for the end of a sentence, and never sends trailing whitespace', () => {
    expect(run(['A line\n', '-- Someone', '\n'])).toMatchObject({ sent: ['A line', '\n-- Someone'], emitted: 'A line\n-- Someone' });
  });

  it('does not take a dot inside a word or a number for the end of a sentence', () => {
    const cleaner = new StreamCleaner(filtered);
    expect(cleaner.push('Node.js 1.2 is').text).toBe('');
    expect(cleaner.push(' out. And').text).toBe('Node.js 1.2 is out.');
  });

  it('stops at <|endoftext|>, even split across deltas, and never sends any of it', () => {
    const result = run(['one two.', ' <|endo', 'ftext|>', ' three']);
    expect(result.sent.join('')).toBe('one two.');
    expect(result.emitted).not.toContain('<|');
  });

  it('skips leading markers and whitespace', () => {
    expect(run(['<|endoftext|>', '\n\n  first', ' words']).sent.join('')).toBe('first words');
  });

  it('stops before a sentence with a blocked word, having sent only the clean ones before it', () => {
    const result = run(['this is fine.', ' a bad', 'word here.', ' indeed']);
    expect(result.sent.join('')).toBe('this is fine.');
    expect(result.rejected).toBe('filtered');
  });

  it('checks the last sentence too', () => {
    expect(run(['fine then. ', 'BADWORD']).rejected).toBe('filtered');
  });

  it('judges all the text so far with each sentence, and gives the check the raw text received', () => {
    const seen: [string, string][] = [];
    const check: StreamCheck = (text, raw) => (seen.push([text, raw]), /m{5}/.test(text) ? 'repeated_character' : undefined);
    const result = run([' ok.', ' so ommbo', 'mmmmmmm.', ' more'], check);
    expect(result).toMatchObject({ sent: ['ok.'], rejected: 'repeated_character' });
    expect(seen).toEqual([
      ['ok.', ' ok. so ommbo'],
      ['ok. so ommbommmmmmm.', ' ok. so ommbommmmmmm. more'],
    ]);
  });

  it('strips bidirectional overrides, and blocks a word split by a zero-width space', () => {
    expect(run([' look \u202Eright', '\u202C here']).emitted).toBe('look right here');
    expect(run([' so. bad\u200B', 'word today.', ' x'])).toMatchObject({ sent: ['so.'], rejected: 'filtered' });
  });
});
