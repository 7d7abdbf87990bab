import { createFirestoreStore, type KeyValueStore } from '@mimicbot/functions-shared';
import { gcpEmulatorsForTests } from '@mimicbot/functions-shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

const stores: KeyValueStore[] = [];
afterAll(() => Promise.all(stores.map((store) => store.close())));

describe('the rate limit on Firestore (the emulator)', () => {
  it('counts a client\'s requests on every instance together, and a restart does not reset the window', async () => {
    const { firestore } = await gcpEmulatorsForTests();
    const project = `demo-rate-${process.pid}`;
    // Each instance has its own client, as two Cloud Run instances (or one before and after a restart) would.
    const instance = () => {
      const store = createFirestoreStore({ emulatorHost: firestore, projectId: project, keyPrefix: 'demo:', timeoutMs: 60_000 });
      stores.push(store);
      // Inside one window whatever the clock says: the test is about instances, not about the clock.
      return createRateLimiter({ store, limit: 3, windowMs: 60_000, now: () => 7 * 60_000 + 1_000 });
    };
    const [first, second] = [instance(), instance()];
    expect(await first('203.0.113.9')).toEqual({ allowed: true, remaining: 2 });
    expect(await second('203.0.113.9')).toEqual({ allowed: true, remaining: 1 });
    const restarted = instance();
    expect(await restarted('203.0.113.9')).toEqual({ allowed: true, remaining: 0 });
    expect(await second('203.0.113.9')).toEqual({ allowed: false, retryAfterS: 59 });
    expect(await first('198.51.100.4')).toEqual({ allowed: true, remaining: 2 });
  });
});
