import { describe, expect, it } from 'vitest';
import { validateFeedback } from './feedback-request.js';
import { newReplyId } from './reply-id.js';

const replyId = newReplyId();
const voter = 'a'.repeat(32);

describe('validateFeedback', () => {
  it('takes a reply id, up, down or null, and a voter id', () => {
    for (const rating of ['up', 'down', null] as const) expect(validateFeedback({ replyId, rating, voter })).toEqual({ ok: true, replyId, rating, voter });
  });

  it('names the field that is wrong', () => {
    expect(validateFeedback('up')).toMatchObject({ ok: false, field: 'body' });
    expect(validateFeedback({ replyId: 'x', rating: 'up', voter })).toMatchObject({ ok: false, field: 'replyId' });
    expect(validateFeedback({ replyId: `${replyId}/../x`, rating: 'up', voter })).toMatchObject({ ok: false, field: 'replyId' });
    expect(validateFeedback({ replyId, rating: 'love', voter })).toMatchObject({ ok: false, field: 'rating' });
    expect(validateFeedback({ replyId, voter })).toMatchObject({ ok: false, field: 'rating' });
    expect(validateFeedback({ replyId, rating: 'up' })).toMatchObject({ ok: false, field: 'voter' });
    expect(validateFeedback({ replyId, rating: 'up', voter: 'me@example.com-and-more' })).toMatchObject({ ok: false, field: 'voter' });
  });

  it('never takes a text from the browser: a body carrying one is read for its id alone', () => {
    expect(validateFeedback({ replyId, rating: 'up', voter, text: 'something else' })).toEqual({ ok: true, replyId, rating: 'up', voter });
  });
});
