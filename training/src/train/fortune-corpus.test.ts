import { describe, expect, it } from 'vitest';
import { fortuneCorpus, longFortunes, parseFortunes, withoutHeldOut } from './fortune-corpus.js';

const file = `A "critic" is a man who creates nothing and thereby feels qualified to
judge the work of creative men.
		-- Robert Heinlein
%
There are never any bugs you haven't found yet.
%

%
Rudd's Discovery:
	You know that any senator could go home
	and make $300,000.
%
`;

describe('fortune corpus', () => {
  it('splits entries on % lines, re-flows wrapped lines and keeps the attribution on its own line', () => {
    expect(parseFortunes(file)).toEqual([
      'A "critic" is a man who creates nothing and thereby feels qualified to judge the work of creative men.\n-- Robert Heinlein',
      "There are never any bugs you haven't found yet.",
      "Rudd's Discovery: You know that any senator could go home and make $300,000.",
    ]);
  });

  it('drops entries longer than the limit and duplicates across files', () => {
    const posts = fortuneCorpus([file, 'There are never any bugs you haven\'t found yet.\n%\n' + 'x'.repeat(300) + '\n%\n'], { maxChars: 280 });
    expect(posts).toHaveLength(3);
    expect(posts.filter((p) => p.startsWith('There are never'))).toHaveLength(1);
  });

  it('gives the entries over the limit to longFortunes, each once, and no others', () => {
    const long = 'word '.repeat(70).trim();
    const files = [file, `${long}\n%\n${long}\n%\nshort\n%\n`];
    expect(longFortunes(files, { maxChars: 280 })).toEqual([long]);
    expect(fortuneCorpus(files, { maxChars: 280 })).not.toContain(long);
  });
});

describe('withoutHeldOut', () => {
  const heldOut = ['A "critic" is a man who creates nothing and thereby feels qualified to judge the work of creative men.\n-- Robert Heinlein'];

  it('drops a text that quotes a held-out post, whatever its case, punctuation, spacing or attribution', () => {
    const quoting = 'As the man said: a CRITIC is a man who creates nothing, and thereby feels qualified to judge\nthe work of creative men! -- R. A. H.';
    expect(withoutHeldOut([quoting, 'Something else entirely, and long enough to count.'], heldOut)).toEqual(['Something else entirely, and long enough to count.']);
  });

  it('matches whole words only, and ignores held-out posts too short to tell apart', () => {
    expect(withoutHeldOut(['Not a critic at all.'], ['critic'])).toEqual(['Not a critic at all.']);
    expect(withoutHeldOut(['xA critic is a man who creates nothing and thereby feels qualified to judge the work of creative men.'], heldOut)).toHaveLength(1);
  });
});
