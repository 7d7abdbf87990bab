import { describe, expect, it } from 'vitest';
import { ModelUnavailableError } from '../errors.js';
import { DEFAULT_GATE } from '../gate/gate-settings.js';
import { rankByLikelihood } from '../gate/rank-drafts.js';
import type { ModelClient } from '../model-client.js';
import { createOutputFilter } from '../output-filter.js';
import { scriptedModel } from '../testing/scripted-model.js';
import type { Draft } from './draft.js';
import { createReplyLoop, outcomeLogFields, type ReplyLoopOptions } from './reply-loop.js';
import { replySteps } from './reply-steps.js';

const filter = createOutputFilter({ words: ['badword'] });
const generation = { maxTokens: 20, temperature: 0.9, topP: 0.95 };
const loop = (model: Pick<ModelClient, 'complete'>, extra: Partial<ReplyLoopOptions> = {}) =>
  createReplyLoop({ model, generation, steps: replySteps(filter, { ...DEFAULT_GATE, minWords: 1 }), maxDraws: 3, seed: () => 1000, ...extra });

describe('the reply loop', () => {
  it('returns the first draft that passes, cleaned, after one request with the generation settings', async () => {
    const { model, requests } = scriptedModel([[' hello there <|endoftext|>more']]);
    const outcome = await loop(model).reply('Say');
    expect(outcome).toMatchObject({ status: 'chosen', text: 'hello there', draws: 1, rejected: {} });
    expect(requests).toEqual([{ prompt: 'Say', maxTokens: 20, temperature: 0.9, topP: 0.95, seed: 1000 }]);
  });

  it("seeds every draw afresh and gives the chosen draft its choice's own seed, with the settings it was drawn with", async () => {
    const { model, requests } = scriptedModel([[' badword', ' <|endoftext|>'], [' empty?', ' kept']]);
    const seeds = [70, 90];
    const outcome = await loop(model, { draftsPerDraw: 2, seed: () => seeds.shift()!, rank: (s) => [...s].reverse() }).reply('x');
    expect(requests.map((r) => r.seed)).toEqual([70, 90]);
    // The server seeds choice j of a request seeded s with s + j: the chosen draft is choice 1 of draw 2.
    expect(outcome).toMatchObject({ status: 'chosen', text: 'kept', settings: generation, draft: { draw: 2, choice: 1, seed: 91 } });
  });

  it('draws with a different random seed each time when none is given', async () => {
    const { model, requests } = scriptedModel([[' one'], [' two'], [' three']]);
    const unseeded = loop(model, { seed: undefined });
    for (let i = 0; i < 3; i++) await unseeded.reply('x');
    const seeds = requests.map((r) => r.seed!);
    expect(new Set(seeds).size).toBe(3);
    for (const seed of seeds) expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31).toBe(true);
  });

  it('draws again while nothing passes, and says honestly that nothing did after maxDraws requests', async () => {
    const { model, requests } = scriptedModel([['<|endoftext|>'], [' badword'], [' '], [' never asked for']]);
    const outcome = await loop(model).reply('x');
    expect(outcome).toEqual({ status: 'nothing_passed', draws: 3, drafts: 3, rejected: { empty: 2, filtered: 1 } });
    expect(requests).toHaveLength(3);
  });

  it('counts the reasons of earlier draws in the outcome of a later success', async () => {
    const { model } = scriptedModel([[' badword'], [' fine']]);
    expect(await loop(model).reply('x')).toMatchObject({ status: 'chosen', text: 'fine', draws: 2, rejected: { filtered: 1 } });
  });

  it('asks for several drafts in one request and takes the best survivor by the ranking', async () => {
    const { model, requests } = scriptedModel([[' short', ' badword and more', ' the longest one']]);
    const longestFirst = (survivors: readonly Draft[]) => [...survivors].sort((a, b) => b.text.length - a.text.length);
    const outcome = await loop(model, { draftsPerDraw: 3, rank: longestFirst }).reply('x');
    expect(requests[0]).toMatchObject({ n: 3, logprobs: 0 });
    expect(outcome).toMatchObject({ status: 'chosen', text: 'the longest one', rejected: { filtered: 1 } });
    if (outcome.status === 'chosen') expect(outcome.draft).toMatchObject({ draw: 1, choice: 2, raw: ' the longest one' });
  });

  it('ranks each draw by the log-probabilities the server returned for the kept words', async () => {
    const scored = (text: string, tokens: string[], tokenLogprobs: number[], finishReason = 'stop') => {
      let offset = 0;
      const textOffset = tokens.map((token) => ((offset += token.length), offset - token.length));
      return { text, finishReason, logprobs: { tokens, tokenLogprobs, textOffset } };
    };
    const { model } = scriptedModel([
      [
        scored(' a b c d', [' a', ' b', ' c', ' d'], [-3, -3, -3, -3]),
        scored(' e f g h', [' e', ' f', ' g', ' h'], [-1, -1, -1, -1]),
        scored(' i j. k l', [' i', ' j.', ' k', ' l'], [-0.5, -0.5, -9, -9], 'length'),
      ],
    ]);
    const outcome = await loop(model, { draftsPerDraw: 3, rank: rankByLikelihood(0) }).reply('x');
    // The cut draft's kept words ("i j.") scored best; its dropped tail does not count against it.
    expect(outcome).toMatchObject({ status: 'chosen', text: 'i j.', draws: 1, drafts: 3 });
    expect(outcomeLogFields(outcome)).toMatchObject({ choice: 2, finishReason: 'length', scored: true });
  });

  it("carries the completion's finish reason on the chosen draft", async () => {
    const { model } = scriptedModel([[{ text: ' cut off mid', finishReason: 'length' }]]);
    const outcome = await loop(model).reply('x');
    expect(outcome.status === 'chosen' && outcome.draft.finishReason).toBe('length');
  });

  it("offers survivors to the surface's deliver, taking the next one when it refuses, and returns what it delivered", async () => {
    const { model, requests } = scriptedModel([[' dup one', ' dup two'], [' fresh']]);
    const offered: string[] = [];
    const outcome = await loop(model, { draftsPerDraw: 2 }).reply('x', {
      deliver: async (draft) => {
        offered.push(draft.text);
        return draft.text.startsWith('dup') ? { refused: 'duplicate' } : { delivered: { id: '42' } };
      },
    });
    expect(offered).toEqual(['dup one', 'dup two', 'fresh']);
    expect(outcome).toEqual(expect.objectContaining({ status: 'chosen', text: 'fresh', value: { id: '42' }, draws: 2, rejected: { duplicate: 2 } }));
    expect(requests).toHaveLength(2);
  });

  it('does not offer a text the surface already refused again, counting it refused', async () => {
    const { model } = scriptedModel([[' same text', ' same text'], [' same text', ' other text']]);
    const offered: string[] = [];
    const outcome = await loop(model, { draftsPerDraw: 2 }).reply('x', {
      deliver: async (draft) => (offered.push(draft.text), draft.text === 'same text' ? { refused: 'duplicate' } : { delivered: 'ok' }),
    });
    expect(offered).toEqual(['same text', 'other text']);
    expect(outcome).toMatchObject({ status: 'chosen', text: 'other text', rejected: { duplicate: 3 } });
  });

  it("lets model errors through to the surface, and passes the caller's signal on", async () => {
    const down = new ModelUnavailableError('connect ECONNREFUSED', { attempts: 1 });
    const { model, signals } = scriptedModel([[' badword'], down]);
    const signal = new AbortController().signal;
    await expect(loop(model).reply('x', { signal })).rejects.toBe(down);
    expect(signals).toEqual([signal, signal]);
  });

  it('logs counts and reasons, never the text of a rejected draft', async () => {
    const { model } = scriptedModel([[' secret badword text'], [' kept']]);
    const fields = outcomeLogFields(await loop(model).reply('x'));
    expect(fields).toEqual({ status: 'chosen', draws: 2, drafts: 2, rejected: { filtered: 1 }, choice: 0, finishReason: 'stop', scored: false });
    expect(JSON.stringify(fields)).not.toContain('secret');
  });
});
