import { describe, expect, it } from 'vitest';
import { isFinalDelivery, readPush } from './pubsub-push.js';

const publishTime = '2026-01-01T00:00:00.000Z';
const published = Date.parse(publishTime);
const rules = { maxDeliveryAttempts: 10, retryWindowMs: 600_000 };

describe('isFinalDelivery', () => {
  it("is final on Pub/Sub's last attempt, whatever the time", () => {
    const push = (deliveryAttempt?: number) => readPush({ message: { data: 'e30=', messageId: '1', publishTime }, deliveryAttempt });
    expect(isFinalDelivery(push(9), rules, published + 1000)).toBe(false);
    expect(isFinalDelivery(push(10), rules, published + 1000)).toBe(true);
    expect(isFinalDelivery(push(11), rules, published + 1000)).toBe(true);
  });

  it('is final once the message is as old as the retry window (also without an attempt count, as from the emulator)', () => {
    const push = readPush({ message: { data: 'e30=', messageId: '1', publishTime } });
    expect(push.deliveryAttempt).toBeUndefined();
    expect(isFinalDelivery(push, rules, published + 599_999)).toBe(false);
    expect(isFinalDelivery(push, rules, published + 600_000)).toBe(true);
  });
});
