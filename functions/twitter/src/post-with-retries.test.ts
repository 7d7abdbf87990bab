import { createOutputFilter, createReplyLoop, DEFAULT_GATE, replySteps } from '@mimicbot/functions-shared';
import { scriptedModel } from '@mimicbot/functions-shared/testing';
import { describe, expect, it } from 'vitest';
import { postWithRetries, type PostLoopOptions } from './post-with-retries.js';
import { TWEET_STEPS } from './tweet-steps.js';
import { XApiError, XDuplicateError, XRateLimitError } from './x-client.js';

const filter = createOutputFilter({ words: ['badword'] });

/** A loop whose drafts come from `texts`, one per request, and whose posts answer with `answers` in turn. */
function loop(texts: string[], answers: (Error | 'ok')[], extra: Partial<PostLoopOptions> = {}) {
  const posted: string[] = [];
  const sleeps: number[] = [];
  const logs: string[] = [];
  const scripted = scriptedModel(texts.map((text) => [text]));
  const options: PostLoopOptions = {
    replies: createReplyLoop({ model: scripted.model, generation: { maxTokens: 20, temperature: 0.9, topP: 0.95 }, steps: replySteps(filter, { ...DEFAULT_GATE, minWords: 1 }, TWEET_STEPS), maxDraws: 3 }),
    prompt: 'Mondays are',
    post: async (text) => {
      posted.push(text);
      const answer = answers.shift() ?? 'ok';
      if (answer !== 'ok') throw answer;
      return { id: String(posted.length), text };
    },
    maxRateLimitWaitMs: 20_000,
    now: () => 1_000_000,
    sleep: async (ms) => void sleeps.push(ms),
    log: (event, fields) => void logs.push(JSON.stringify({ event, ...fields })),
    ...extra,
  };
  return { options, posted, sleeps, logs, requests: scripted.requests };
}

describe('postWithRetries', () => {
  it('posts the first usable text, continuing the prompt', async () => {
    const { options, posted, requests } = loop([' first'], []);
    expect(await postWithRetries(options)).toEqual({ status: 'posted', id: '1', text: 'first', attempts: 1 });
    expect(posted).toEqual(['first']);
    expect(requests.map((r) => r.prompt)).toEqual(['Mondays are']);
  });

  it('regenerates when X calls the text a duplicate, and posts the new text', async () => {
    const { options, posted } = loop([' same', ' new'], [new XDuplicateError('dup'), 'ok']);
    expect(await postWithRetries(options)).toMatchObject({ status: 'posted', text: 'new', attempts: 2 });
    expect(posted).toEqual(['same', 'new']);
  });

  it('skips the slot after maxDraws requests of duplicates or filtered texts, counting why', async () => {
    const { options, requests } = loop([' a', ' a badword', ' c', ' never'], [new XDuplicateError('dup'), new XDuplicateError('dup')]);
    expect(await postWithRetries(options)).toEqual({ status: 'skipped', attempts: 3, drafts: 3, rejected: { duplicate: 2, filtered: 1 } });
    expect(requests).toHaveLength(3);
  });

  it('never posts filtered text, and logs the decision without it', async () => {
    const { options, posted, logs } = loop([' badword!', ' clean'], []);
    expect(await postWithRetries(options)).toMatchObject({ status: 'posted', text: 'clean', attempts: 2 });
    expect(posted).toEqual(['clean']);
    expect(logs).toEqual([JSON.stringify({ event: 'post_decision', status: 'chosen', draws: 2, drafts: 2, rejected: { filtered: 1 }, choice: 0, finishReason: 'stop', scored: false })]);
  });

  it('waits for a rate limit that resets soon, then posts the same text', async () => {
    const { options, posted, sleeps } = loop([' hello'], [new XRateLimitError(1_000_000 + 5_000), 'ok']);
    expect(await postWithRetries(options)).toMatchObject({ status: 'posted', text: 'hello', attempts: 1 });
    expect(posted).toEqual(['hello', 'hello']);
    expect(sleeps).toEqual([5_250]);
  });

  it('stops on a rate limit that resets later than it may wait, saying when', async () => {
    const resetAt = 1_000_000 + 15 * 60_000;
    const { options, sleeps } = loop([' hello'], [new XRateLimitError(resetAt)]);
    expect(await postWithRetries(options)).toEqual({ status: 'rate_limited', retryAt: new Date(resetAt).toISOString(), attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  it('waits only once: still limited after the reset means stop', async () => {
    const { options, sleeps } = loop([' hello'], [new XRateLimitError(1_001_000), new XRateLimitError(1_002_000)]);
    expect(await postWithRetries(options)).toMatchObject({ status: 'rate_limited' });
    expect(sleeps).toHaveLength(1);
  });

  it('lets other X errors through to the boundary', async () => {
    const { options } = loop([' hello'], [new XApiError('X answered 401', 401)]);
    await expect(postWithRetries(options)).rejects.toBeInstanceOf(XApiError);
  });
});
