import { describe, expect, it } from 'vitest';
import { devilEntries, dictdNumber } from './devil-dictionary.js';

/** A dictd database in miniature: the text, and an index of (headword, offset, length) in dictd's base64. */
const dict = `00-database-short
     The Devil's Dictionary
ABSURDITY, n.  A statement or belief manifestly inconsistent with
one's own opinion.

ACADEMY, n.  [from {ACADEME}]   A modern school where football is
taught.

ACCOUNTABILITY, n.  The mother of caution.

    "My accountability, bear in mind,"
        Said the Grand Vizier:  "Yes, yes,"
`;
const encode = (n: number): string => {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  do {
    s = digits[n % 64] + s;
    n = Math.floor(n / 64);
  } while (n > 0);
  return s;
};
const bytes = new TextEncoder().encode(dict);
const at = (word: string) => dict.indexOf(word);
const index = [
  ['00databaseshort', 0, at('ABSURDITY')],
  ['absurdity', at('ABSURDITY'), at('ACADEMY') - at('ABSURDITY')],
  ['academy', at('ACADEMY'), at('ACCOUNTABILITY') - at('ACADEMY')],
  ['accountability', at('ACCOUNTABILITY'), dict.length - at('ACCOUNTABILITY')],
]
  .map(([word, offset, length]) => `${word}\t${encode(offset as number)}\t${encode(length as number)}`)
  .join('\n');

describe("the Devil's Dictionary", () => {
  it('reads dictd base64 numbers, most significant digit first', () => {
    expect(dictdNumber('A')).toBe(0);
    expect(dictdNumber('b')).toBe(27);
    expect(dictdNumber('CGZ')).toBe(2 * 64 * 64 + 6 * 64 + 25);
    expect(() => dictdNumber('C-Z')).toThrow(/dictd base64/);
  });

  it('gives each entry re-flowed, paragraphs on their own lines, without the database header or braces', () => {
    expect(devilEntries(index, bytes)).toEqual([
      "ABSURDITY, n. A statement or belief manifestly inconsistent with one's own opinion.",
      'ACADEMY, n. [from ACADEME] A modern school where football is taught.',
      'ACCOUNTABILITY, n. The mother of caution.\n"My accountability, bear in mind," Said the Grand Vizier: "Yes, yes,"',
    ]);
  });
});
