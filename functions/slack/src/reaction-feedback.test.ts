import { describe, expect, it } from 'vitest';
import { DEFAULT_REACTION_RATINGS } from './config.js';
import { ratingForReaction, slackReplyId } from './reaction-feedback.js';

describe('a reaction as feedback', () => {
  it('counts thumbs and hearts up, thumbs down down, whatever the skin tone, and nothing else', () => {
    const rating = (name: string) => ratingForReaction(name, DEFAULT_REACTION_RATINGS);
    expect(['+1', 'thumbsup', '+1::skin-tone-4', 'heart', 'joy'].map(rating)).toEqual(['up', 'up', 'up', 'up', 'up']);
    expect(['-1', 'thumbsdown', '-1::skin-tone-2'].map(rating)).toEqual(['down', 'down', 'down']);
    expect(['eyes', 'thinking_face', 'heart_on_fire', '+1x', ''].map(rating)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('uses the lists it is given', () => {
    expect(ratingForReaction('tada', { up: ['tada'], down: ['poop'] })).toBe('up');
    expect(ratingForReaction('poop', { up: ['tada'], down: ['poop'] })).toBe('down');
    expect(ratingForReaction('+1', { up: ['tada'], down: ['poop'] })).toBeUndefined();
  });

  it("names a reply by the bot message's channel and ts", () => {
    expect(slackReplyId('C0GENERAL', '1700000000.000100')).toBe('C0GENERAL:1700000000.000100');
  });
});
