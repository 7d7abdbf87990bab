import { describe, expect, it } from 'vitest';
import type { RatedReply } from '@mimicbot/functions-shared/feedback';
import { isLiked, rankRated, wilsonLowerBound } from './rank-feedback.js';

const rated = (id: string, up: number, down: number, servedAt = 0): RatedReply => ({
  reply: { surface: 'slack', id, model: 'm', prompt: '', text: id, seed: 1, settings: { maxTokens: 10, temperature: 1, topP: 1 }, servedAt },
  up,
  down,
});

describe('the Wilson lower bound', () => {
  it('matches the textbook values', () => {
    // Evan Miller's "How not to sort by average rating": 1 of 1 → 0.2065, 5 of 5 → 0.5655.
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.2065, 3);
    expect(wilsonLowerBound(5, 5)).toBeCloseTo(0.5655, 3);
    expect(wilsonLowerBound(0, 4)).toBeCloseTo(0, 10);
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(40, 50)).toBeGreaterThan(0.66);
  });
});

describe('ranking rated replies', () => {
  it('puts surely liked replies above merely unanimous ones, and breaks ties by 👍 then by the newer', () => {
    const order = rankRated([rated('one-of-one', 1, 0), rated('half', 50, 50), rated('five', 5, 0), rated('forty', 40, 10), rated('old-five', 5, 0, -1)]).map((r) => r.reply.id);
    expect(order).toEqual(['forty', 'five', 'old-five', 'half', 'one-of-one']);
  });

  it('counts a reply as liked with more 👍 than 👎 and at least the minimum 👍', () => {
    expect([rated('a', 1, 0), rated('b', 2, 2), rated('c', 0, 1), rated('d', 3, 1)].filter((r) => isLiked(r)).map((r) => r.reply.id)).toEqual(['a', 'd']);
    expect(isLiked(rated('a', 1, 0), 2)).toBe(false);
  });
});
