import { describe, expect, it } from 'vitest';
import { longestCharacterRun, mostRepeatedUnit } from './repetition.js';

describe('longestCharacterRun', () => {
  it('finds the longest run of one character, wherever it is', () => {
    expect(longestCharacterRun('…ch was wililit ck ommbommmmmmm')).toBe(7);
    expect(longestCharacterRun('rrrrrrierrr…ttttttt')).toBe(7);
    expect(longestCharacterRun('Hello!!! Good')).toBe(3);
    expect(longestCharacterRun('a')).toBe(1);
    expect(longestCharacterRun('')).toBe(0);
  });

  it('does not count whitespace, and counts an emoji as one character', () => {
    expect(longestCharacterRun('a          b')).toBe(1);
    expect(longestCharacterRun('yes\n\n\n\n\nno')).toBe(1);
    expect(longestCharacterRun('😀😀😀')).toBe(3);
  });
});

describe('mostRepeatedUnit', () => {
  it('finds a short stretch said again and again', () => {
    expect(mostRepeatedUnit('…ferierieierierier…')).toEqual({ unit: 'ier', repeats: 3 });
    expect(mostRepeatedUnit('so is it is it is it is it over')).toEqual({ unit: ' is it', repeats: 4 });
    expect(mostRepeatedUnit('I love you. I love you. I love you. I love you.')).toEqual({ unit: 'I love you. ', repeats: 3 });
  });

  it('prefers more repeats, then the longer loop', () => {
    expect(mostRepeatedUnit('hahaha and blah blah blah blah')).toEqual({ unit: ' blah', repeats: 4 });
    expect(mostRepeatedUnit('abab xyzxyz')).toEqual({ unit: 'xyz', repeats: 2 });
  });

  it('leaves runs of one character and rows of punctuation to the character run', () => {
    expect(mostRepeatedUnit('mmmmmmmm')).toEqual({ unit: '', repeats: 0 });
    expect(mostRepeatedUnit('wait... -=-=-=-=')).toEqual({ unit: '', repeats: 0 });
  });

  it('finds nothing in ordinary prose', () => {
    expect(mostRepeatedUnit('The meaning of life is to find your gift.').repeats).toBeLessThan(2);
  });

  it('does not look for units longer than it was told', () => {
    const phrase = 'a rather long sentence here. ';
    expect(mostRepeatedUnit(phrase.repeat(3), 10).repeats).toBe(0);
    expect(mostRepeatedUnit(phrase.repeat(3), 40)).toEqual({ unit: phrase, repeats: 3 });
  });
});
