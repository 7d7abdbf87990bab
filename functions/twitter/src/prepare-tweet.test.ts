import { createOutputFilter } from '@mimicbot/functions-shared';
import { describe, expect, it } from 'vitest';
import { prepareTweet } from './prepare-tweet.js';
import { weightedLength } from './weighted-length.js';

const filter = createOutputFilter({ words: ['badword'] });

describe('prepareTweet (clean -> fit -> filter)', () => {
  it('removes <|endoftext|> and what follows, and trims', () => {
    expect(prepareTweet('  hello there <|endoftext|>another doc', filter)).toEqual({ ok: true, text: 'hello there' });
  });

  it('fits long model output to 280 weighted characters at a word boundary', () => {
    const raw = `${'lorem ipsum 🙂 '.repeat(30)}<|endoftext|>`;
    const prepared = prepareTweet(raw, filter);
    expect(prepared.ok).toBe(true);
    if (prepared.ok) {
      expect(weightedLength(prepared.text)).toBeLessThanOrEqual(280);
      expect(raw.startsWith(prepared.text)).toBe(true);
      expect(prepared.text.endsWith(' ')).toBe(false);
    }
  });

  it('drops text the output filter blocks, naming the words found', () => {
    expect(prepareTweet('what a BADWORD day', filter)).toEqual({ ok: false, reason: 'filtered', blocked: ['badword'] });
  });

  it('drops text that is empty once cleaned', () => {
    expect(prepareTweet(' <|endoftext|> ', filter)).toEqual({ ok: false, reason: 'empty' });
  });

  it('filters only what would be posted: a blocked word past the cut does not drop the tweet', () => {
    const raw = `${'fine words here '.repeat(20)}badword`;
    expect(prepareTweet(raw, filter).ok).toBe(true);
  });
});
