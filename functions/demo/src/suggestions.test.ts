import { describe, expect, it } from 'vitest';
import { createMemoryFeedbackStore, createOutputFilter, type FeedbackStore, type RatedReply, type ServedReply } from '@mimicbot/functions-shared';
import { createSuggestions, isSuggestable } from './suggestions.js';

const filter = createOutputFilter();
const settings = { maxTokens: 8, temperature: 0.9, topP: 0.95 };

function rated(prompt: string, up: number, down = 0, extra: Partial<ServedReply> = {}): RatedReply {
  return { reply: { surface: 'demo', id: 'r', model: 'm', prompt, text: 'a fine reply', settings, servedAt: 0, ...extra }, up, down };
}

/** A store with one reply per prompt, rated by that many distinct voters. */
async function storeWith(ratings: [prompt: string, up: number, down?: number][]): Promise<FeedbackStore> {
  const store = createMemoryFeedbackStore();
  for (const [i, [prompt, up, down = 0]] of ratings.entries()) {
    await store.saveReply({ surface: 'demo', id: `r${i}`, model: 'm', prompt, text: 'a fine reply', settings, servedAt: Date.now() });
    for (let v = 0; v < up; v++) await store.rate('demo', `r${i}`, `up-${v}`, 'up');
    for (let v = 0; v < down; v++) await store.rate('demo', `r${i}`, `down-${v}`, 'down');
  }
  return store;
}

describe('isSuggestable', () => {
  const rules = { minVoters: 3, filter };

  it('takes a demo prompt liked by enough distinct voters, and by more than disliked it', () => {
    expect(isSuggestable(rated('Mondays are', 3), rules)).toBe(true);
    expect(isSuggestable(rated('Mondays are', 2), rules)).toBe(false);
    expect(isSuggestable(rated('Mondays are', 3, 3), rules)).toBe(false);
  });

  it('never takes a prompt from another surface, a long one, or one with a link, handle, address or long number', () => {
    expect(isSuggestable(rated('Mondays are', 9, 0, { surface: 'slack' }), rules)).toBe(false);
    expect(isSuggestable(rated('x '.repeat(60), 9), rules)).toBe(false);
    for (const prompt of ['see https://example.com', 'www.example.com is', 'ask @zippy', 'mail me@example.com', 'call 0612345678', '']) {
      expect(isSuggestable(rated(prompt, 9), rules), prompt).toBe(false);
    }
  });

  it('never takes a prompt or a liked reply the output filter refuses', () => {
    expect(isSuggestable(rated('what the fuck', 9), rules)).toBe(false);
    expect(isSuggestable(rated('Mondays are', 9, 0, { text: 'shit' }), rules)).toBe(false);
  });
});

describe('createSuggestions', () => {
  it("offers the maker's prompts first, then liked ones by score, matching the prefix whatever its case", async () => {
    const feedback = await storeWith([
      ['Mondays are the worst', 3],
      ['Mondays are fine', 5],
      ['Mondays are secret', 2],
      ['Tea is', 4],
    ]);
    const suggest = createSuggestions({ curated: ['Mondays are for coffee'], feedback, filter, minVoters: 3 });
    expect(await suggest('monDAYS  are')).toEqual(['Mondays are for coffee', 'Mondays are fine', 'Mondays are the worst']);
    expect(await suggest('')).toEqual(['Mondays are for coffee', 'Mondays are fine', 'Tea is', 'Mondays are the worst']);
    // What the visitor already typed in full is not offered back.
    expect(await suggest('Tea is')).toEqual([]);
  });

  it('reads the store once per ttl, answering from the last index in between', async () => {
    let now = 0;
    let scans = 0;
    const inner = await storeWith([['Tea is', 3]]);
    const feedback = {
      ratedReplies: () => {
        scans++;
        return inner.ratedReplies();
      },
    };
    const suggest = createSuggestions({ curated: [], feedback, filter, minVoters: 3, ttlMs: 1000, now: () => now });
    await Promise.all([suggest('t'), suggest('te')]);
    await suggest('tea');
    expect(scans).toBe(1);
    now = 1001;
    expect(await suggest('t')).toEqual(['Tea is']);
    expect(scans).toBe(2);
  });

  it('bounds what it reads and what it answers, and keeps the curated ones when the store fails', async () => {
    const feedback = await storeWith(Array.from({ length: 20 }, (_, i): [string, number] => [`Prompt number ${i}`, 3]));
    expect(await createSuggestions({ curated: [], feedback, filter, minVoters: 3, maxScanned: 4, limit: 10 })('p')).toHaveLength(4);
    expect(await createSuggestions({ curated: [], feedback, filter, minVoters: 3 })('p')).toHaveLength(5);
    const logged: string[] = [];
    const broken = {
      async *ratedReplies(): AsyncIterable<RatedReply> {
        throw new Error('store down');
      },
    };
    const suggest = createSuggestions({ curated: ['Coffee or tea?'], feedback: broken, filter, minVoters: 3, log: (e) => void logged.push(e) });
    expect(await suggest('c')).toEqual(['Coffee or tea?']);
    expect(logged).toEqual(['suggestions_failed']);
  });
});
