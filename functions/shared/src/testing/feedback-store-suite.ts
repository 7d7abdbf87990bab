/**
 * The behaviour every FeedbackStore must have, as one suite that feedback/memory-feedback-store.test.ts runs
 * against the memory store and feedback/firestore-feedback-store.emulators.test.ts against the Firestore
 * emulator. Time is the store's `now`, moved by the suite, so expiry is tested without waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackRetention, FeedbackStore, RatedReply, ServedReply } from '../feedback/feedback-store.js';

const DAY = 24 * 60 * 60 * 1000;
const RETENTION = { replyTtlMs: 7 * DAY, ratedTtlMs: 180 * DAY };

export function feedbackStoreSuite(name: string, open: (retention: Required<FeedbackRetention>) => Promise<FeedbackStore>) {
  describe(name, () => {
    let store: FeedbackStore;
    let clock = Date.now();
    let n = 0;
    const replyId = () => `${process.pid}:${Date.now()}:${n++}`;
    const served = (fields: Partial<ServedReply> = {}): ServedReply => ({
      surface: 'slack',
      id: replyId(),
      model: 'tiny',
      prompt: 'What do you think of Mondays?',
      text: 'Mondays are a rumour 🙃 started by calendars',
      seed: 1234567,
      settings: { maxTokens: 40, temperature: 0.9, topP: 0.95 },
      servedAt: clock,
      ...fields,
    });
    /** The rated replies among `ids`: other tests' replies share the store. */
    const ratedAmong = async (...ids: string[]) => {
      const found: RatedReply[] = [];
      for await (const rated of store.ratedReplies()) if (ids.includes(rated.reply.id)) found.push(rated);
      return found.sort((a, b) => ids.indexOf(a.reply.id) - ids.indexOf(b.reply.id));
    };

    beforeAll(async () => {
      store = await open({ ...RETENTION, now: () => clock });
    });
    afterAll(() => store?.close());

    it('gives back a saved reply exactly, keeps surfaces apart, and replaces it when saved again', async () => {
      const reply = served();
      await store.saveReply(reply);
      expect(await store.getReply('slack', reply.id)).toEqual(reply);
      expect(await store.getReply('demo', reply.id)).toBeUndefined();
      const { seed: _, ...unseeded } = served({ id: reply.id, text: 'second thoughts', settings: { maxTokens: 5, temperature: 0, topP: 1 } });
      await store.saveReply(unseeded);
      expect(await store.getReply('slack', reply.id)).toEqual(unseeded);
    });

    it('refuses a rating of a reply it never saw, and stores nothing for it', async () => {
      const id = replyId();
      expect(await store.rate('slack', id, 'U1', 'up')).toBe(false);
      expect(await store.getReply('slack', id)).toBeUndefined();
      expect(await ratedAmong(id)).toEqual([]);
    });

    it('holds one rating per voter: rating again replaces it, null clears it', async () => {
      const reply = served();
      await store.saveReply(reply);
      expect(await ratedAmong(reply.id)).toEqual([]);
      expect(await store.rate('slack', reply.id, 'U1', 'up')).toBe(true);
      expect(await store.rate('slack', reply.id, 'U1', 'up')).toBe(true);
      expect(await store.rate('slack', reply.id, 'U2', 'down')).toBe(true);
      expect(await ratedAmong(reply.id)).toEqual([{ reply, up: 1, down: 1 }]);
      await store.rate('slack', reply.id, 'U1', 'down');
      expect(await ratedAmong(reply.id)).toEqual([{ reply, up: 0, down: 2 }]);
      await store.rate('slack', reply.id, 'U1', null);
      await store.rate('slack', reply.id, 'U2', null);
      expect(await ratedAmong(reply.id)).toEqual([]);
      expect(await store.getReply('slack', reply.id)).toEqual(reply);
    });

    it('counts every voter when ratings arrive at once, and one rating for a voter racing with themself', async () => {
      const reply = served();
      await store.saveReply(reply);
      await Promise.all(['U1', 'U2', 'U3', 'U4', 'U5'].map((voter) => store.rate('slack', reply.id, voter, 'up')));
      await Promise.all([store.rate('slack', reply.id, 'U6', 'up'), store.rate('slack', reply.id, 'U6', 'down'), store.rate('slack', reply.id, 'U6', 'up')]);
      const [rated] = await ratedAmong(reply.id);
      expect(rated!.up + rated!.down).toBe(6);
      expect(rated!.up).toBeGreaterThanOrEqual(5);
    });

    it('lists every rated reply with its counts, and no unrated one', async () => {
      const replies = [served({ text: '_Mondays?_ are a rumour', continuation: ' are a rumour' }), served({ surface: 'demo' }), served()];
      const before = await store.countRated();
      for (const reply of replies) await store.saveReply(reply);
      await store.rate('slack', replies[0]!.id, 'U1', 'up');
      await store.rate('demo', replies[1]!.id, 'browser-1', 'down');
      expect(await ratedAmong(...replies.map((r) => r.id))).toEqual([
        { reply: replies[0], up: 1, down: 0 },
        { reply: replies[1], up: 0, down: 1 },
      ]);
      expect((await store.countRated()) - before).toBe(2);
    });

    it('forgets an unrated reply after replyTtlMs, keeps a rated one until ratedTtlMs after its last rating', async () => {
      const unrated = served();
      const rated = served();
      await store.saveReply(unrated);
      await store.saveReply(rated);
      clock += 6 * DAY;
      await store.rate('slack', rated.id, 'U1', 'up');
      clock += 2 * DAY;
      expect(await store.getReply('slack', unrated.id)).toBeUndefined();
      expect(await store.rate('slack', unrated.id, 'U1', 'up')).toBe(false);
      expect(await store.getReply('slack', rated.id)).toEqual(rated);
      expect(await ratedAmong(rated.id)).toHaveLength(1);
      clock += 179 * DAY;
      expect(await store.getReply('slack', rated.id)).toBeUndefined();
      expect(await ratedAmong(rated.id)).toEqual([]);
    });

    it('forgets a reply whose only rating was withdrawn once its unrated time is up', async () => {
      const reply = served();
      await store.saveReply(reply);
      await store.rate('slack', reply.id, 'U1', 'up');
      clock += 8 * DAY;
      expect(await store.getReply('slack', reply.id)).toEqual(reply);
      await store.rate('slack', reply.id, 'U1', null);
      expect(await store.getReply('slack', reply.id)).toBeUndefined();
    });
  });
}
