import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '@mimicbot/functions-shared';
import { createMessageClaims, messageKey } from './message-claims.js';

describe('message claims', () => {
  it('gives a message to one attempt; others see it in progress, then done', async () => {
    const claims = createMessageClaims(createMemoryStore(), { leaseMs: 1000, doneTtlMs: 10_000 });
    const key = messageKey('T1', 'C1', '1.1');
    const first = await claims.claim(key);
    expect(first.status).toBe('claimed');
    expect((await claims.claim(key)).status).toBe('in_progress');
    if (first.status === 'claimed') await first.complete();
    expect((await claims.claim(key)).status).toBe('done');
  });

  it('lets a retry claim the message after the attempt released it or its lease lapsed', async () => {
    let now = 0;
    const claims = createMessageClaims(createMemoryStore({ now: () => now }), { leaseMs: 1000, doneTtlMs: 10_000 });
    const failed = await claims.claim('k');
    if (failed.status === 'claimed') await failed.release();
    const crashed = await claims.claim('k');
    expect(crashed.status).toBe('claimed');
    now += 999;
    expect((await claims.claim('k')).status).toBe('in_progress');
    now += 2;
    const takeover = await claims.claim('k');
    expect(takeover.status).toBe('claimed');
    // The crashed attempt waking up late must not free the key its successor holds.
    if (crashed.status === 'claimed') await crashed.release();
    expect((await claims.claim('k')).status).toBe('in_progress');
  });
});
