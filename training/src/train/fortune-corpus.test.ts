import { describe, expect, it } from 'vitest';
import { fortuneCorpus, parseFortunes } from './fortune-corpus.js';

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
});
