import { describe, expect, it } from 'vitest';
import { servedReply } from '../feedback/served-reply.js';
import { createModelClient } from '../model-client.js';
import { tinyModelServerForSuite } from '../testing/model-server-for-suite.js';
import { createReplyLoop, draftSource } from './reply-loop.js';

// The real inference server on a tiny random model: its sampler, its per-choice seeds, its batching.
const server = tinyModelServerForSuite();

describe('a seeded reply', () => {
  it('is drawn again, byte for byte, from the seed, model and settings recorded with it', async () => {
    const client = createModelClient({ endpoint: server.url, timeoutMs: 60_000, retries: 0 });
    const generation = { maxTokens: 12, temperature: 1, topP: 0.95 };
    // The last of three choices (ranked last-first), so the recorded seed must be the choice's, not the draw's.
    const loop = createReplyLoop({ model: client, generation, steps: [], maxDraws: 1, draftsPerDraw: 3, rank: (drafts) => [...drafts].reverse() });
    const outcome = await loop.reply('The weather today is');
    if (outcome.status !== 'chosen') throw new Error(`nothing chosen: ${JSON.stringify(outcome)}`);
    expect(outcome.draft.choice).toBe(2);
    const served = servedReply(draftSource(outcome), { surface: 'slack', id: 'C1:1.2', prompt: 'The weather today is', text: outcome.text, servedAt: Date.now() });
    expect(served.model).toBe(outcome.draft.model);
    expect(served.seed).toBe(outcome.draft.seed);

    const again = await client.complete({ prompt: served.prompt, ...served.settings, seed: served.seed });
    expect(again.model).toBe(served.model);
    expect(again.text).toBe(outcome.draft.raw);
    // The seed is what makes it: the draw's own seed gives its first choice, another seed another text.
    const first = await client.complete({ prompt: served.prompt, ...served.settings, seed: served.seed! - 2 });
    const other = await client.complete({ prompt: served.prompt, ...served.settings, seed: served.seed! + 1000 });
    expect(new Set([again.text, first.text, other.text]).size).toBe(3);
  });
});
