import { describe, expect, it } from 'vitest';
import { promptFromMessage } from './mention-text.js';

describe('promptFromMessage', () => {
  it('drops the bot mention wherever it is, with or without a label', () => {
    expect(promptFromMessage('<@U0BOT> tell me a joke', 'U0BOT')).toBe('tell me a joke');
    expect(promptFromMessage('so <@U0BOT|mimicbot>, what now?', 'U0BOT')).toBe('so , what now?');
  });
  it('keeps other mentions and undoes Slack escaping', () => {
    expect(promptFromMessage('<@U0BOT> ask <@U0ALICE> about a &lt; b &amp;&amp; c &gt; d', 'U0BOT')).toBe('ask <@U0ALICE> about a < b && c > d');
  });
  it('gives an empty prompt for a bare mention (an unprompted line)', () => {
    expect(promptFromMessage('  <@U0BOT>  ', 'U0BOT')).toBe('');
    expect(promptFromMessage(undefined, 'U0BOT')).toBe('');
  });
});
