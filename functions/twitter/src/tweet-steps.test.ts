import { createOutputFilter, DEFAULT_GATE, judgeDrafts, newDraft, replySteps } from '@mimicbot/functions-shared';
import { describe, expect, it } from 'vitest';
import { refuseDuplicates, TWEET_STEPS } from './tweet-steps.js';
import { weightedLength } from './weighted-length.js';
import { XApiError, XDuplicateError } from './x-client.js';

const filter = createOutputFilter({ words: ['badword'] });
const steps = replySteps(filter, DEFAULT_GATE, TWEET_STEPS);
const judge = (raw: string) => judgeDrafts([newDraft(raw, { finishReason: 'stop', draw: 1, choice: 0 })], steps, { prompt: '' });
/** Long text that does not repeat itself (the gate would turn a loop down before it is fitted). */
const words = (count: number, extra = '') => Array.from({ length: count }, (_, i) => `word${i}${extra}`).join(' ');
const kept = (raw: string) => judge(raw).survivors[0]?.text;

describe("a tweet's way through the reply steps (clean -> cut -> gate -> fit -> require text -> filter)", () => {
  it('removes <|endoftext|> and what follows, and trims', () => {
    expect(kept('  hello there <|endoftext|>another doc')).toBe('hello there');
  });

  it('fits long model output to 280 weighted characters at a word boundary', () => {
    const raw = `${words(60, ' 🙂')}<|endoftext|>`;
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
    expect(kept(`${words(50)} badword`)).toBeDefined();
  });

  it('cuts a draft too long for X back to its last sentence end within the limit', () => {
    const text = kept(`${words(15)}. ${words(15, 'x')}. ${words(30, 'y')}`)!;
    expect(text).toBe(`${words(15)}. ${words(15, 'x')}.`);
  });

  it('turns down what the gate turns down before fitting it', () => {
    expect(judge(' …ch was wililit ck ommbommmmmmm').rejected).toEqual({ repeated_character: 1 });
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
