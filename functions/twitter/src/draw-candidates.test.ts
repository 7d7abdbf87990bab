import { createMemoryStore, createOutputFilter, createReplyLoop, DEFAULT_GATE, replySteps } from '@mimicbot/functions-shared';
import { scriptedModel } from '@mimicbot/functions-shared/testing';
import { describe, expect, it } from 'vitest';
import { drawCandidates } from './draw-candidates.js';
import { createRecentPosts } from './recent-posts.js';
import { tweetSteps } from './tweet-steps.js';

/** A loop over scripted draws (each a list of drafts, as one batched request answers them). */
function loop(draws: string[][], maxDraws = 2) {
  const scripted = scriptedModel(draws);
  const replies = createReplyLoop({
    model: scripted.model,
    generation: { maxTokens: 20, temperature: 0.9, topP: 0.95 },
    steps: replySteps(createOutputFilter({ words: ['badword'] }), { ...DEFAULT_GATE, minWords: 1 }, tweetSteps('🤖')),
    maxDraws,
  });
  return { replies, scripted };
}

describe('drawCandidates', () => {
  it('keeps the first `count` different drafts that pass the gate, in the loop\'s order, from one request', async () => {
    const { replies, scripted } = loop([[' one fine line', ' a badword line', ' one  FINE line', ' two fine lines', ' three fine lines']]);
    const drawn = await drawCandidates(replies, '', 2);
    expect(drawn.texts).toEqual(['one fine line', 'two fine lines']);
    expect(scripted.requests.length).toBe(1);
    // Keeping a draft is no rejection: only the real reasons are counted.
    expect(drawn.rejected).toEqual({ filtered: 1, same_as_another_candidate: 1 });
  });

  it('draws again while it has fewer than asked, and returns what it has when the draws run out', async () => {
    const { replies, scripted } = loop([[' only one here'], [' and a second'], [' never asked for']], 2);
    const drawn = await drawCandidates(replies, '', 3);
    expect(drawn.texts).toEqual(['only one here', 'and a second']);
    expect(scripted.requests.length).toBe(2);
  });

  it('passes over a line the account posted lately', async () => {
    const recent = createRecentPosts(createMemoryStore(), 60_000);
    await recent.remember('old news');
    const { replies } = loop([[' Old  news', ' new news']]);
    const drawn = await drawCandidates(replies, '', 1, { recent });
    expect(drawn.texts).toEqual(['new news']);
    expect(drawn.rejected).toEqual({ posted_recently: 1 });
  });
});
