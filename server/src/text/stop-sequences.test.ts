import { describe, expect, it } from 'vitest';
import { StopSequenceMatcher } from './stop-sequences.js';

function run(stops: string[], deltas: string[]): { emitted: string[]; stopped: boolean } {
  const matcher = new StopSequenceMatcher(stops);
  const emitted: string[] = [];
  for (const delta of deltas) {
    const { text, stopped } = matcher.push(delta);
    emitted.push(text);
    if (stopped) return { emitted, stopped };
  }
  emitted.push(matcher.flush());
  return { emitted, stopped: false };
}

describe('stop sequences', () => {
  it('finds a stop sequence split across tokens and emits none of it', () => {
    const { emitted, stopped } = run(['\n\n'], ['Hi', ' there', '\n', '\n', 'more']);
    expect(stopped).toBe(true);
    expect(emitted).toEqual(['Hi', ' there', '', '']);
  });

  it('holds back a possible start and releases it when it turns out not to be a stop', () => {
    const { emitted, stopped } = run(['END'], ['a E', 'N', 'x', ' b']);
    expect(stopped).toBe(false);
    expect(emitted).toEqual(['a ', '', 'ENx', ' b', '']);
  });

  it('releases held-back text at the end', () => {
    expect(run(['END'], ['a', 'EN']).emitted.join('')).toBe('aEN');
  });

  it('stops at the earliest of several stop sequences', () => {
    const { emitted, stopped } = run(['world', 'o w'], ['hello world']);
    expect(stopped).toBe(true);
    expect(emitted.join('')).toBe('hell');
  });

  it('finds a stop sequence inside one delta and keeps the text before it', () => {
    expect(run(['<|endoftext|>'], ['tweet<|endoftext|>next']).emitted).toEqual(['tweet']);
  });

  it('passes text through unchanged with no stop sequences', () => {
    expect(run([], ['a', 'b']).emitted).toEqual(['a', 'b', '']);
  });
});
