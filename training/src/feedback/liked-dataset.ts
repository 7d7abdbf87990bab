/**
 * Liked replies as posts `mimicbot prepare` reads (tweet-record.ts's JSONL), for the next fine-tune: the
 * model's own words (the continuation, without the user's prompt: that is someone else's text, and the bot
 * should learn what people liked it saying), dated when they were served. The text is escaped as X escapes a
 * post's text, because prepare decodes those entities once, so it reads back exactly what the model wrote.
 */
import type { ServedReply } from '@mimicbot/functions-shared/feedback';
import { tweetRecordLine, type TweetRecord } from '../data/tweet-record.js';

function escapeAsX(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function likedRecord(reply: ServedReply): TweetRecord {
  return { id: `${reply.surface}:${reply.id}`, created_at: new Date(reply.servedAt).toISOString(), text: escapeAsX(reply.continuation ?? reply.text) };
}

export function likedJsonl(replies: readonly ServedReply[]): string {
  return replies.map((reply) => tweetRecordLine(likedRecord(reply))).join('');
}
