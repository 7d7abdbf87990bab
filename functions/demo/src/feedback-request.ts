/**
 * Checks the body of `POST /feedback`: `{replyId, rating, voter}`. Only the reply's id comes from the
 * browser, never its text: the function finds the reply it saved. The voter is the page's random
 * per-browser id; its shape is checked so it cannot carry anything else (a name, an address). Pure.
 */
import type { FeedbackRating } from '@mimicbot/functions-shared';
import { REPLY_ID } from './reply-id.js';

export type FeedbackCheck =
  | { ok: true; replyId: string; rating: FeedbackRating | null; voter: string }
  | { ok: false; field: string; message: string };

/** What the page makes (crypto.randomUUID without dashes is 32 hex digits); a little room either way. */
const VOTER = /^[A-Za-z0-9_-]{16,64}$/;

export function validateFeedback(body: unknown): FeedbackCheck {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, field: 'body', message: 'send a JSON object like {"replyId": "...", "rating": "up", "voter": "..."}' };
  }
  const { replyId, rating, voter } = body as Record<string, unknown>;
  if (typeof replyId !== 'string' || !REPLY_ID.test(replyId)) return { ok: false, field: 'replyId', message: 'replyId must be the id a reply came with' };
  if (rating !== 'up' && rating !== 'down' && rating !== null) return { ok: false, field: 'rating', message: 'rating must be "up", "down" or null (to take it back)' };
  if (typeof voter !== 'string' || !VOTER.test(voter)) return { ok: false, field: 'voter', message: 'voter must be 16 to 64 letters, digits, - or _' };
  return { ok: true, replyId, rating, voter };
}
