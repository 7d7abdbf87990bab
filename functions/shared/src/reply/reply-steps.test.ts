import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE } from '../gate/gate-settings.js';
import { createOutputFilter } from '../output-filter.js';
import { newDraft, reshape, type Draft, type DraftStep } from './draft.js';
import { judgeDrafts } from './judge-drafts.js';
import { replySteps } from './reply-steps.js';

const filter = createOutputFilter({ words: ['badword'] });
const draft = (raw: string, choice = 0): Draft => newDraft(raw, { finishReason: 'stop', draw: 1, choice });
/** One-word drafts keep these tests short; the gate's own thresholds have their tests in gate/. */
const gate = { ...DEFAULT_GATE, minWords: 1 };
const judge = (raws: string[], steps: DraftStep[], prompt = '') => judgeDrafts(raws.map(draft), steps, { prompt });

describe('replySteps', () => {
  it('cleans, then refuses empty and filtered drafts', () => {
    const judgement = judge([' hello <|endoftext|>junk', '<|endoftext|>', '  ', 'a badword here', ' \u202Eclean\u202C '], replySteps(filter, gate));
    expect(judgement.survivors.map((d) => d.text)).toEqual(['hello', 'clean']);
    expect(judgement.rejected).toEqual({ empty: 2, filtered: 1 });
  });

  it('catches a blocked word hidden by a zero-width space', () => {
    expect(judge(['bad\u200Bword'], replySteps(filter, gate)).rejected).toEqual({ filtered: 1 });
  });

  it('shapes the continuation before judging it, so only what is kept is filtered', () => {
    const firstWord: DraftStep = (d) => reshape(d, d.continuation.split(' ')[0]);
    const judgement = judge(['fine badword', 'badword fine'], replySteps(filter, gate, { shape: [firstWord] }));
    expect(judgement.survivors.map((d) => d.text)).toEqual(['fine']);
    expect(judgement.rejected).toEqual({ filtered: 1 });
  });

  it('judges an empty continuation before presenting it, and filters what is presented', () => {
    const withPrompt: DraftStep = (d, context) => ({ ...d, text: `${context.prompt} ${d.text}` });
    const steps = replySteps(filter, gate, { present: [withPrompt] });
    // An empty continuation is not rescued by the prompt in front of it.
    expect(judge(['<|endoftext|>'], steps, 'cats').rejected).toEqual({ empty: 1 });
    expect(judge([' purr'], steps, 'cats').survivors[0].text).toBe('cats purr');
    // The prompt is part of what would be posted, so the filter judges it too.
    expect(judge([' purr'], steps, 'badword cats').rejected).toEqual({ filtered: 1 });
  });

  it('runs the gate on the cleaned continuation, after a draft that hit the token limit is cut back', () => {
    const steps = replySteps(filter, DEFAULT_GATE);
    const cutOff = newDraft(' Q: A women a contaition is it not is think one. <etor> Let o', { finishReason: 'length', draw: 1, choice: 0 });
    expect(judgeDrafts([cutOff], steps, { prompt: '' }).survivors.map((d) => d.text)).toEqual(['Q: A women a contaition is it not is think one.']);
    // Cut back to nothing, a draft is empty, not judged by the checks after.
    const oneWord = newDraft(' Lorem', { finishReason: 'length', draw: 1, choice: 0 });
    expect(judgeDrafts([oneWord], steps, { prompt: '' }).rejected).toEqual({ empty: 1 });
    // The part the cut drops is not judged: a loop past the last sentence end does not sink the draft.
    const loopAfter = newDraft(' It went well. mmmmmmmmmm', { finishReason: 'length', draw: 1, choice: 0 });
    expect(judgeDrafts([loopAfter], steps, { prompt: '' }).survivors.map((d) => d.text)).toEqual(['It went well.']);
    const judgement = judge(
      ['<|endoftext|>…ch was wililit ck ommbommmmmmm', ' \uFFFD broken here', ' ?!', ' Yow!', 'tempt friends.', ' tell me a secret again', ' Not a bad day at all.'],
      steps,
      'tell me a secret',
    );
    expect(judgement.survivors.map((d) => d.text)).toEqual(['Not a bad day at all.']);
    expect(judgement.rejected).toEqual({ repeated_character: 1, broken_text: 1, no_words: 1, too_short: 1, glued: 1, echo: 1 });
  });
});
