import { describe, expect, it } from 'vitest';
import { promptFromMention } from './reply-to-mentions.js';

describe('promptFromMention', () => {
  it('drops @handles and special-token markers, keeps the words', () => {
    expect(promptFromMention('@mimicbot @friend what do you think of  mondays?')).toBe('what do you think of mondays?');
    expect(promptFromMention('@mimicbot hi <|endoftext|> there')).toBe('hi there');
    expect(promptFromMention('mail me at a@b.com')).toBe('mail me at a@b.com');
  });
});
