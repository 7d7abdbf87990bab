import { createMemoryStore } from '@mimicbot/functions-shared';
import { describe, expect, it } from 'vitest';
import { createDraftLedger, RECORD_GRACE_MS } from './draft-ledger.js';

describe('the draft ledger', () => {
  it('reads a set as live until its expiry, and keeps the record a grace period longer', async () => {
    let now = 1_000_000;
    const store = createMemoryStore({ now: () => now });
    const ledger = createDraftLedger(store, { now: () => now });
    const opened = await ledger.open(['a draft'], 60_000);
    expect(ledger.isLive((await ledger.read(opened.id))!)).toBe(true);
    now += 60_000;
    const expired = (await ledger.read(opened.id))!;
    expect(expired.set.state).toBe('open');
    expect(ledger.isLive(expired)).toBe(false);
    now += RECORD_GRACE_MS;
    expect(await ledger.read(opened.id)).toBeUndefined();
  });

  it('moves a set only from the value it read, once', async () => {
    const ledger = createDraftLedger(createMemoryStore());
    const opened = await ledger.open(['a', 'b'], 60_000);
    const common = { candidates: opened.set.candidates, createdAt: opened.set.createdAt, expiresAt: opened.set.expiresAt };
    expect(await ledger.move(opened, { ...common, state: 'discarded', by: 'U1' })).toBeDefined();
    expect(await ledger.move(opened, { ...common, state: 'posting', chosen: 0, by: 'U2' })).toBeUndefined();
    expect((await ledger.read(opened.id))!.set).toMatchObject({ state: 'discarded', by: 'U1' });
  });

  it('knows no id that is not one of its own (button values come from outside)', async () => {
    const ledger = createDraftLedger(createMemoryStore());
    expect(await ledger.read('../../etc')).toBeUndefined();
    expect(await ledger.read('')).toBeUndefined();
  });
});
