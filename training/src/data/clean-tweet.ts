import { decodeHtmlEntities } from './html-entities.js';
import type { TweetRecord } from './tweet-record.js';

/**
 * Turns one post into training text, or says why it is left out. minimaxir's download-tweets-ai-text-gen
 * is the reference (strip links and `pic.` links, optionally @mentions and #tags, drop replies, drop
 * empties); added here: HTML unescaping, a retweet filter, a minimum length and whitespace tidying.
 * Deduplication needs all posts at once and lives in prepare-dataset.ts.
 */
export interface CleanOptions {
  /** Remove every @mention (default false: mentions inside a sentence are part of the voice). */
  stripMentions: boolean;
  /** Remove every #hashtag (default false). */
  stripHashtags: boolean;
  /** Keep replies to other accounts, minus their leading @handles (default false, as minimaxir). */
  keepReplies: boolean;
  /** Fewer non-space characters than this after cleaning counts as near-empty. */
  minChars: number;
}

export const DEFAULT_CLEAN_OPTIONS: CleanOptions = {
  stripMentions: false,
  stripHashtags: false,
  keepReplies: false,
  minChars: 5,
};

/**
 * The longest post X allows (a long post, for subscribers), in characters. Anything longer did not come from
 * X, and GPT-2's tokenizer takes ~50 µs a character on one long word, so it is left out.
 */
export const MAX_POST_CHARS = 25_000;

export type DropReason = 'retweet' | 'reply' | 'near-empty' | 'too-long';
export type CleanResult = { keep: true; text: string } | { keep: false; reason: DropReason };

const RETWEET = /^RT @\w{1,15}/;
const LEADING_MENTIONS = /^(?:@\w{1,15}[\s,:]*)+/;
const LINKS = /(?:\bhttps?:\/\/|\bwww\.)\S+|\b(?:pic\.(?:twitter|x)\.com|t\.co)\/\S+/gi;
const MENTIONS = /(^|[^\w@])@\w{1,15}\b/g;
const HASHTAGS = /(^|[^\p{L}\p{N}_#])#[\p{L}\p{N}_]+/gu;
const SPECIAL_TOKENS = /<\|(?:endoftext|startoftext)\|>/g;

export function cleanTweet(record: Pick<TweetRecord, 'text' | 'reply_to'>, options: CleanOptions): CleanResult {
  if (RETWEET.test(record.text)) return { keep: false, reason: 'retweet' };
  let text = decodeHtmlEntities(record.text);
  // On old posts a reply is only visible as text that starts with "@" (minimaxir: "a de-facto reply").
  const isReply = record.reply_to !== undefined || text.trimStart().startsWith('@');
  if (isReply && !options.keepReplies) return { keep: false, reason: 'reply' };
  if (isReply) text = text.trimStart().replace(LEADING_MENTIONS, '');
  text = text.replace(LINKS, '').replace(SPECIAL_TOKENS, '');
  if (options.stripMentions) text = text.replace(MENTIONS, '$1');
  if (options.stripHashtags) text = text.replace(HASHTAGS, '$1');
  text = tidyWhitespace(text);
  if (isNearEmpty(text, options.minChars)) return { keep: false, reason: 'near-empty' };
  if (text.length > MAX_POST_CHARS) return { keep: false, reason: 'too-long' };
  return { keep: true, text };
}

/** Spaces collapsed, lines trimmed, at most one blank line in a row; the post's own line breaks are kept. */
export function tidyWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Too short to teach anything, or no letter or digit at all (a lone emoji, punctuation left by links). */
function isNearEmpty(text: string, minChars: number): boolean {
  return text.replace(/\s/g, '').length < minChars || !/[\p{L}\p{N}]/u.test(text);
}

/** Two posts are duplicates when they differ only in case and spacing. */
export function duplicateKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
