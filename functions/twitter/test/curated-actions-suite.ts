/**
 * The exactly-once rules of curated posting, driven through curated-actions.ts with clicks that race:
 * both read the drafts while they are still open (a barrier holds every read of the set until all the
 * racing clicks have made theirs), so only the store's compare-and-set can stop the second. Run against
 * the memory store (curated-actions.test.ts) and the Firestore emulator (curated-actions.emulators.test.ts).
 */
import type { KeyValueStore } from '@mimicbot/functions-shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCuratedActions, type Click } from '../src/curated-actions.js';
import type { CuratorSlack } from '../src/curator-slack.js';
import { createDraftLedger } from '../src/draft-ledger.js';
import type { SlackMessage } from '../src/draft-messages.js';
import type { XApi } from '../src/x-client.js';

/** Holds the first `parties` reads of a curated set until all of them are waiting, then lets them go at once. */
function racingReads(store: KeyValueStore, parties: number): KeyValueStore {
  const waiting: (() => void)[] = [];
  let released = false;
  return {
    ...store,
    get: async (key) => {
      if (key.startsWith('x:curated:') && !released) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === parties) {
            released = true;
            for (const release of waiting) release();
          }
        });
      }
      return store.get(key);
    },
  };
}

function recordingSlack() {
  const updates: SlackMessage[] = [];
  const told: { user: string; text: string }[] = [];
  const slack: CuratorSlack = {
    post: async () => ({ ts: '1.000001' }),
    update: async (_channel, _ts, message) => void updates.push(message),
    tell: async (_channel, user, text) => void told.push({ user, text }),
  };
  return { slack, updates, told };
}

function recordingX() {
  const tweets: string[] = [];
  const x: XApi = {
    tweet: async (text) => {
      tweets.push(text);
      return { id: String(1900 + tweets.length), text };
    },
    reply: () => Promise.reject(new Error('not used')),
    myUserId: async () => '1000',
    mentionsSince: async () => [],
  };
  return { x, tweets };
}

export function curatedActionsSuite(name: string, open: () => Promise<KeyValueStore>) {
  describe(`curated actions racing on the ${name}`, () => {
    let store: KeyValueStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(() => store?.close());

    async function setUp(parties: number) {
      const ledger = createDraftLedger(store);
      const opened = await ledger.open(['first draft', 'second draft', 'third draft'], 60_000);
      const slack = recordingSlack();
      const x = recordingX();
      let draws = 0;
      const actions = createCuratedActions({
        ledger: createDraftLedger(racingReads(store, parties)),
        slack: slack.slack,
        x: x.x,
        draw: async () => ({ texts: [`new draft ${++draws}`], draws: 1, drafts: 4, rejected: {} }),
        channel: 'G0CURATE1',
        draftTtlMs: 60_000,
        disclosure: '',
        log: () => {},
      });
      const click = (action: 'approve' | 'regenerate' | 'discard', user: string, choice = 0): Click =>
        action === 'approve'
          ? { action, set: opened.id, choice, user, channel: 'G0CURATE1', messageTs: '1.000001' }
          : { action, set: opened.id, user, channel: 'G0CURATE1', messageTs: '1.000001' };
      return { ledger, opened, actions, click, ...slack, tweets: x.tweets };
    }

    it('posts once when two approvals read the open drafts at the same moment', async () => {
      const { ledger, opened, actions, click, tweets, updates, told } = await setUp(2);
      await Promise.all([actions.handle(click('approve', 'U0ALICE', 1)), actions.handle(click('approve', 'U0BOB', 2))]);
      expect(tweets).toHaveLength(1);
      const set = (await ledger.read(opened.id))!.set;
      expect(set).toMatchObject({ state: 'posted', tweetId: '1901' });
      expect(tweets[0]).toBe(set.candidates[(set as { chosen: number }).chosen]);
      expect(updates).toHaveLength(1);
      expect(told).toHaveLength(1);
      expect(told[0].user).not.toBe((set as { by: string }).by);
    });

    it('lets exactly one of an approval and a discard that race win', async () => {
      const { ledger, opened, actions, click, tweets, updates, told } = await setUp(2);
      await Promise.all([actions.handle(click('approve', 'U0ALICE')), actions.handle(click('discard', 'U0BOB'))]);
      const { state } = (await ledger.read(opened.id))!.set;
      expect(['posted', 'discarded']).toContain(state);
      expect(tweets).toHaveLength(state === 'posted' ? 1 : 0);
      // One winner: the drafts message changes once, and the loser alone is told it lost.
      expect(updates).toHaveLength(1);
      expect(told).toHaveLength(1);
    });

    it('never posts from drafts a racing regenerate replaced, and never shows a new set an approval beat', async () => {
      const { ledger, opened, actions, click, tweets, updates } = await setUp(2);
      await Promise.all([actions.handle(click('regenerate', 'U0ALICE')), actions.handle(click('approve', 'U0BOB'))]);
      const set = (await ledger.read(opened.id))!.set;
      if (set.state === 'posted') {
        expect(tweets).toEqual(['first draft']);
        expect(updates.map((u) => u.text)).toEqual([expect.stringContaining('Approved by <@U0BOB>')]);
      } else {
        expect(set.state).toBe('replaced');
        expect(tweets).toEqual([]);
        expect(updates.map((u) => u.text)).toEqual([expect.stringContaining('A draft for the next post')]);
      }
    });
  });
}
