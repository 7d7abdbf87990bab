import { createOutputFilter, judgeDrafts, replySteps, type Draft } from '@mimicbot/functions-shared';
import { describe, expect, it } from 'vitest';
import { refuseDuplicates, TWEET_STEPS } from './tweet-steps.js';
import { weightedLength } from './weighted-length.js';
import { XApiError, XDuplicateError } from './x-client.js';

const filter = createOutputFilter({ words: ['badword'] });
const steps = replySteps(filter, TWEET_STEPS);
const judge = (raw: string) => judgeDrafts([{ text: raw, raw, finishReason: 'stop', draw: 1, choice: 0 } satisfies Draft], steps, { prompt: '' });
const kept = (raw: string) => judge(raw).survivors[0]?.text;

describe("a tweet's way through the reply steps (clean -> fit -> require text -> filter)", () => {
  it('removes <|endoftext|> and what follows, and trims', () => {
    expect(kept('  hello there <|endoftext|>another doc')).toBe('hello there');
  });

  it('fits long model output to 280 weighted characters at a word boundary', () => {
    const raw = `${'lorem ipsum 🙂 '.repeat(30)}<|endoftext|>`;
    const text = kept(raw)!;
    expect(weightedLength(text)).toBeLessThanOrEqual(280);
    expect(raw.startsWith(text)).toBe(true);
    expect(text.endsWith(' ')).toBe(false);
  });

  it('drops text the output filter blocks, and text that is empty once cleaned', () => {
    expect(judge('what a BADWORD day').rejected).toEqual({ filtered: 1 });
    expect(judge(' <|endoftext|> ').rejected).toEqual({ empty: 1 });
  });

  it('filters only what would be posted: a blocked word past the cut does not drop the tweet', () => {
    expect(kept(`${'fine words here '.repeat(20)}badword`)).toBeDefined();
  });

  it('never posts a bidirectional override', () => {
    expect(kept('read \u202Ethis backwards\u202C')).toBe('read this backwards');
  });
});

describe('refuseDuplicates', () => {
  it("turns X's duplicate refusal into a refused draft, and lets other errors through", async () => {
    expect(await refuseDuplicates(async () => 'posted')).toEqual({ delivered: 'posted' });
    expect(await refuseDuplicates(async () => Promise.reject(new XDuplicateError('dup')))).toEqual({ refused: 'duplicate' });
    await expect(refuseDuplicates(async () => Promise.reject(new XApiError('X answered 401', 401)))).rejects.toBeInstanceOf(XApiError);
  });
});
