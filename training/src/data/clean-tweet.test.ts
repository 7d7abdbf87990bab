import { describe, expect, it } from 'vitest';
import { cleanTweet, DEFAULT_CLEAN_OPTIONS, duplicateKey, tidyWhitespace, type CleanOptions } from './clean-tweet.js';
import { decodeHtmlEntities } from './html-entities.js';

const clean = (text: string, options: Partial<CleanOptions> = {}, reply_to?: string) =>
  cleanTweet({ text, reply_to }, { ...DEFAULT_CLEAN_OPTIONS, ...options });

describe('cleanTweet', () => {
  it('removes links, t.co and pic.twitter.com / pic.x.com links', () => {
    expect(clean('look at this https://t.co/AbC123 and www.example.org/page pic.twitter.com/xyz')).toEqual({
      keep: true,
      text: 'look at this and',
    });
    expect(clean('new photo pic.x.com/abc http://example.com')).toEqual({ keep: true, text: 'new photo' });
  });

  it('decodes the HTML entities X puts in post text, once', () => {
    expect(clean('fish &amp; chips &lt;3 &gt; all &amp;lt;')).toEqual({ keep: true, text: 'fish & chips <3 > all &lt;' });
    expect(decodeHtmlEntities('&#39;quoted&#x27; &quot;x&quot; &nbsp;&bogus; &#0;')).toBe('\'quoted\' "x" \u00a0&bogus; &#0;');
  });

  it('drops retweets and replies, keeping a reply minus its leading handles when asked', () => {
    expect(clean('RT @someone: words')).toEqual({ keep: false, reason: 'retweet' });
    expect(clean('@friend yes indeed')).toEqual({ keep: false, reason: 'reply' });
    expect(clean('yes indeed', {}, 'friend')).toEqual({ keep: false, reason: 'reply' });
    expect(clean('@friend @other, yes indeed', { keepReplies: true })).toEqual({ keep: true, text: 'yes indeed' });
  });

  it('strips @mentions and #tags only when asked, leaving emails and mid-word signs alone', () => {
    const text = 'thanks @bob for #TypeScript tips, mail me@example.org about C# and #日本';
    expect(clean(text)).toEqual({ keep: true, text });
    expect(clean(text, { stripMentions: true, stripHashtags: true })).toEqual({
      keep: true,
      text: 'thanks for tips, mail me@example.org about C# and',
    });
  });

  it('drops near-empty posts: too short, or nothing but a link, an emoji or punctuation', () => {
    expect(clean('https://t.co/abc')).toEqual({ keep: false, reason: 'near-empty' });
    expect(clean('ok')).toEqual({ keep: false, reason: 'near-empty' });
    expect(clean('🎉🎉🎉🎉🎉🎉')).toEqual({ keep: false, reason: 'near-empty' });
    expect(clean('!!! ... ???')).toEqual({ keep: false, reason: 'near-empty' });
    expect(clean('ok then', { minChars: 5 })).toEqual({ keep: true, text: 'ok then' });
  });

  it('removes special tokens a post could smuggle into the training text', () => {
    expect(clean('before<|endoftext|>after <|startoftext|>')).toEqual({ keep: true, text: 'beforeafter' });
  });

  it('tidies whitespace but keeps the post\'s own line breaks', () => {
    expect(tidyWhitespace('  a\u00a0\u00a0b  \r\n\r\n\r\n\r\n  c\t d  ')).toBe('a b\n\nc d');
  });

  it('treats posts that differ only in case and spacing as duplicates', () => {
    expect(duplicateKey('Hello   World\n')).toBe(duplicateKey('hello world'));
  });
});
