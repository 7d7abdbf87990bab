import { describe, expect, it } from 'vitest';
import { createMemoryStore, createOutputFilter, createReplyLoop, DEFAULT_GATE, ModelUnavailableError, replySteps } from '@mimicbot/functions-shared';
import { scriptedModel } from '@mimicbot/functions-shared/testing';
import { createRecentPosts } from './recent-posts.js';
import { LAST_MENTION_KEY, promptFromMention, replyToMentions } from './reply-to-mentions.js';
import { TWEET_STEPS } from './tweet-steps.js';
import { XApiError, XDuplicateError, type Mention, type XApi } from './x-client.js';

describe('promptFromMention', () => {
  it('drops @handles and special-token markers, keeps the words', () => {
    expect(promptFromMention('@mimicbot @friend what do you think of  mondays?')).toBe('what do you think of mondays?');
    expect(promptFromMention('@mimicbot hi <|endoftext|> there')).toBe('hi there');
    expect(promptFromMention('mail me at a@b.com')).toBe('mail me at a@b.com');
  });
});

/** The XApi seam, answering from memory; `failReply` decides how a reply fails (or not). */
function memoryX(mentions: Mention[], failReply: (text: string, to: string) => Error | undefined = () => undefined) {
  const replies: { text: string; to: string }[] = [];
  let id = 5000;
  const x: XApi = {
    tweet: async (text) => ({ id: String(++id), text }),
    reply: async (text, to) => {
      const error = failReply(text, to);
      if (error) throw error;
      replies.push({ text, to });
      return { id: String(++id), text };
    },
    myUserId: async () => '1000',
    mentionsSince: async (_user, sinceId) => mentions.filter((m) => sinceId === undefined || BigInt(m.id) > BigInt(sinceId)).reverse(),
  };
  return { x, replies };
}

function loop(answers: (string[] | Error)[]) {
  return createReplyLoop({ model: scriptedModel(answers).model, generation: { maxTokens: 8, temperature: 0.9, topP: 0.95 }, steps: replySteps(createOutputFilter({}), { ...DEFAULT_GATE, minWords: 1 }, TWEET_STEPS), maxDraws: 2 });
}

const mention = (id: number, text = `@mimicbot number ${id}`): Mention => ({ id: String(id), text, authorId: '7' });

describe('replyToMentions', () => {
  it('never answers a mention again when a run dies while its reply is on the way, before the cursor moves', async () => {
    const store = createMemoryStore();
    await store.set(LAST_MENTION_KEY, '100');
    const mentions = [mention(101), mention(102)];
    // The first run's reply to 101 gets no answer from X: it may or may not be posted.
    const first = memoryX(mentions, (_text, to) => (to === '101' ? new XApiError('could not reach X: socket hang up') : undefined));
    await expect(replyToMentions({ x: first.x, store, replies: loop([[' hello']]), maxReplies: 5 })).rejects.toThrow(/socket hang up/);
    expect(await store.get(LAST_MENTION_KEY)).toBe('100');

    const second = memoryX(mentions);
    const outcome = await replyToMentions({ x: second.x, store, replies: loop([[' hi'], [' there']]), maxReplies: 5 });
    expect(outcome.skipped).toEqual(['101']);
    expect(outcome.replied.map((r) => r.mentionId)).toEqual(['102']);
    expect(second.replies.map((r) => r.to)).toEqual(['102']);
    expect(await store.get(LAST_MENTION_KEY)).toBe('102');
  });

  it('answers a mention on the next run when the one before failed before anything reached X', async () => {
    const store = createMemoryStore();
    await store.set(LAST_MENTION_KEY, '100');
    const x = memoryX([mention(101)]);
    const down = new ModelUnavailableError('connect ECONNREFUSED', { attempts: 1 });
    await expect(replyToMentions({ x: x.x, store, replies: loop([down]), maxReplies: 5 })).rejects.toBeInstanceOf(ModelUnavailableError);
    const outcome = await replyToMentions({ x: x.x, store, replies: loop([[' back']]), maxReplies: 5 });
    expect(outcome.replied.map((r) => r.mentionId)).toEqual(['101']);
    expect(x.replies).toHaveLength(1);
  });

  it('answers a mention once even when two runs overlap', async () => {
    const store = createMemoryStore();
    await store.set(LAST_MENTION_KEY, '100');
    const x = memoryX([mention(101), mention(102)]);
    await Promise.all([
      replyToMentions({ x: x.x, store, replies: loop([[' a'], [' b']]), maxReplies: 5 }),
      replyToMentions({ x: x.x, store, replies: loop([[' c'], [' d']]), maxReplies: 5 }),
    ]);
    expect(x.replies.map((r) => r.to).sort()).toEqual(['101', '102']);
  });

  it('draws again when X calls the reply a duplicate or the account posted it lately', async () => {
    const store = createMemoryStore();
    await store.set(LAST_MENTION_KEY, '100');
    const recent = createRecentPosts(store, 60_000);
    await recent.remember('Said  BEFORE');
    const x = memoryX([mention(101, '@mimicbot say')], (text) => (text === 'x dup' ? new XDuplicateError('duplicate content') : undefined));
    const replies = createReplyLoop({ model: scriptedModel([[' said before'], [' x dup'], [' fresh']]).model, generation: { maxTokens: 8, temperature: 0.9, topP: 0.95 }, steps: replySteps(createOutputFilter({}), { ...DEFAULT_GATE, minWords: 1 }, TWEET_STEPS), maxDraws: 3 });
    const outcome = await replyToMentions({ x: x.x, store, replies, maxReplies: 5, recent });
    expect(outcome.replied).toHaveLength(1);
    expect(x.replies.map((r) => r.text)).toEqual(['fresh']);
    expect(await recent.seen('FRESH')).toBe(true);
  });
});
