import { describe, expect, it } from 'vitest';
import { createOutputFilter } from '../output-filter.js';
import type { Draft, DraftStep } from './draft.js';
import { judgeDrafts } from './judge-drafts.js';
import { replySteps } from './reply-steps.js';

const filter = createOutputFilter({ words: ['badword'] });
const draft = (raw: string, choice = 0): Draft => ({ text: raw, raw, finishReason: 'stop', draw: 1, choice });
const judge = (raws: string[], steps: DraftStep[], prompt = '') => judgeDrafts(raws.map(draft), steps, { prompt });

describe('replySteps', () => {
  it('cleans, then refuses empty and filtered drafts', () => {
    const judgement = judge([' hello <|endoftext|>junk', '<|endoftext|>', '  ', 'a badword here', ' \u202Eclean\u202C '], replySteps(filter));
    expect(judgement.survivors.map((d) => d.text)).toEqual(['hello', 'clean']);
    expect(judgement.rejected).toEqual({ empty: 2, filtered: 1 });
  });

  it('catches a blocked word hidden by a zero-width space', () => {
    expect(judge(['bad\u200Bword'], replySteps(filter)).rejected).toEqual({ filtered: 1 });
  });

  it('shapes the continuation before judging it, so only what is kept is filtered', () => {
    const firstWord: DraftStep = (d) => ({ ...d, text: d.text.split(' ')[0] });
    const judgement = judge(['fine badword', 'badword fine'], replySteps(filter, { shape: [firstWord] }));
    expect(judgement.survivors.map((d) => d.text)).toEqual(['fine']);
    expect(judgement.rejected).toEqual({ filtered: 1 });
  });

  it('judges an empty continuation before presenting it, and filters what is presented', () => {
    const withPrompt: DraftStep = (d, context) => ({ ...d, text: `${context.prompt} ${d.text}` });
    const steps = replySteps(filter, { present: [withPrompt] });
    // An empty continuation is not rescued by the prompt in front of it.
    expect(judge(['<|endoftext|>'], steps, 'cats').rejected).toEqual({ empty: 1 });
    expect(judge(['purr'], steps, 'cats').survivors[0].text).toBe('cats purr');
    // The prompt is part of what would be posted, so the filter judges it too.
    expect(judge(['purr'], steps, 'badword cats').rejected).toEqual({ filtered: 1 });
  });
});
