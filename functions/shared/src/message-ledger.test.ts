import { describe, expect, it } from 'vitest';
import { createMessageLedger, PUBLISH_LEASE_MS, type ReplyClaim } from './message-ledger.js';
import { createMemoryStore } from './memory-store.js';

function ledger() {
  let now = 0;
  const store = createMemoryStore({ now: () => now });
  return { ledger: createMessageLedger(store, { leaseMs: 1000, doneTtlMs: 100_000 }), store, advance: (ms: number) => (now += ms) };
}

const key = 'message:T1:C1:1.1';

async function claimed(result: Promise<unknown>): Promise<ReplyClaim> {
  const claim = (await result) as ReplyClaim;
  expect(claim.status).toBe('claimed');
  return claim;
}

describe('the message ledger', () => {
  it('lets one delivery of the events endpoint queue a message, and a retry queue it again only after a release', async () => {
    const { ledger: l } = ledger();
    const first = await l.claimToQueue(key);
    expect(first.status).toBe('claimed');
    expect(await l.claimToQueue(key)).toEqual({ status: 'taken', state: 'publishing' });
    if (first.status === 'claimed') await first.release();
    const second = await l.claimToQueue(key);
    if (second.status !== 'claimed') throw new Error('expected a claim');
    await second.queued();
    expect(await l.claimToQueue(key)).toEqual({ status: 'taken', state: 'queued' });
  });

  it('frees a message whose publisher died, once its publishing lease lapses', async () => {
    const { ledger: l, advance } = ledger();
    await l.claimToQueue(key);
    advance(PUBLISH_LEASE_MS - 1);
    expect((await l.claimToQueue(key)).status).toBe('taken');
    advance(2);
    expect((await l.claimToQueue(key)).status).toBe('claimed');
  });

  it('gives a queued, publishing or unknown message to one worker; the others see it in progress, then answered', async () => {
    const { ledger: l } = ledger();
    await l.claimToQueue(key); // still publishing: a fast worker may take it all the same
    const claim = await claimed(l.claimToAnswer(key));
    expect(await l.claimToAnswer(key)).toEqual({ status: 'in_progress' });
    expect(await claim.startPosting()).toBe(true);
    expect(await l.claimToAnswer(key)).toEqual({ status: 'outcome_unknown' });
    await claim.posted('2.2');
    expect(await l.claimToAnswer(key)).toEqual({ status: 'answered' });
    expect(await l.claimToQueue(key)).toEqual({ status: 'taken', state: 'posted' });
    expect((await l.claimToAnswer('message:T1:C1:never-seen')).status).toBe('claimed');
  });

  it('takes over from a worker whose lease lapsed, and the old one can no longer post', async () => {
    const { ledger: l, advance } = ledger();
    const stale = await claimed(l.claimToAnswer(key));
    advance(1001);
    const successor = await claimed(l.claimToAnswer(key));
    expect(await stale.startPosting()).toBe(false);
    await stale.requeue(); // a late requeue from the old holder changes nothing either
    expect(await l.claimToAnswer(key)).toEqual({ status: 'in_progress' });
    expect(await successor.startPosting()).toBe(true);
  });

  it('gives a requeued message, or one whose post Slack refused for now, to the next delivery', async () => {
    const { ledger: l } = ledger();
    const first = await claimed(l.claimToAnswer(key));
    await first.requeue();
    const second = await claimed(l.claimToAnswer(key));
    expect(await second.startPosting()).toBe(true);
    await second.notPosted();
    const third = await claimed(l.claimToAnswer(key));
    await third.gaveUp('channel_not_found');
    expect(await l.claimToAnswer(key)).toEqual({ status: 'answered' });
  });
});
