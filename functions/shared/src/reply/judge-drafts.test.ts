import { describe, expect, it } from 'vitest';
import { newDraft, reject, type Draft, type DraftStep } from './draft.js';
import { judgeDrafts } from './judge-drafts.js';

const draft = (text: string, choice = 0, finishReason: string | null = 'stop'): Draft => newDraft(text, { finishReason, draw: 1, choice });

describe('judgeDrafts', () => {
  it('runs each draft through the steps in order, each seeing what the one before left', () => {
    const seen: string[] = [];
    const upper: DraftStep = (d) => ({ ...d, text: d.text.toUpperCase() });
    const exclaim: DraftStep = (d) => (seen.push(d.text), { ...d, text: `${d.text}!` });
    const judgement = judgeDrafts([draft('hi'), draft('yo', 1)], [upper, exclaim], { prompt: '' });
    expect(judgement.survivors.map((d) => d.text)).toEqual(['HI!', 'YO!']);
    expect(seen).toEqual(['HI', 'YO']);
    expect(judgement.survivors.map((d) => d.raw)).toEqual(['hi', 'yo']);
    expect(judgement.rejected).toEqual({});
  });

  it('stops at the first step that rejects a draft and counts the rejections by reason', () => {
    let laterCalls = 0;
    const noShort: DraftStep = (d) => (d.text.length < 3 ? reject('too_short') : d);
    const noX: DraftStep = (d) => (d.text.includes('x') ? reject('has_x') : d);
    const count: DraftStep = (d) => (laterCalls++, d);
    const judgement = judgeDrafts([draft('ab'), draft('xyz', 1), draft('fine', 2), draft('c', 3)], [noShort, noX, count], { prompt: '' });
    expect(judgement.survivors.map((d) => d.choice)).toEqual([2]);
    expect(judgement.rejected).toEqual({ too_short: 2, has_x: 1 });
    expect(laterCalls).toBe(1);
  });

  it('gives steps the prompt, and ranks the survivors with the given ranking', () => {
    const withPrompt: DraftStep = (d, context) => ({ ...d, text: `${context.prompt}${d.text}` });
    const longestFirst = (survivors: readonly Draft[]) => [...survivors].sort((a, b) => b.text.length - a.text.length);
    const judgement = judgeDrafts([draft(' a'), draft(' abc', 1), draft(' ab', 2)], [withPrompt], { prompt: 'so' }, longestFirst);
    expect(judgement.survivors.map((d) => d.text)).toEqual(['so abc', 'so ab', 'so a']);
  });
});
