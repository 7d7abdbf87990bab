import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs } from './backoff.js';

const options = { baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelayMs', () => {
  it('doubles per retry, with half of each delay jittered', () => {
    expect(backoffDelayMs(1, undefined, options, 0)).toBe(50);
    expect(backoffDelayMs(1, undefined, options, 0.999)).toBe(100);
    expect(backoffDelayMs(3, undefined, options, 0)).toBe(200);
  });
  it('never waits longer than maxDelayMs', () => {
    expect(backoffDelayMs(20, undefined, options, 0.999)).toBe(1000);
    expect(backoffDelayMs(1, 60_000, options, 0)).toBe(1000);
  });
  it('follows the server Retry-After when there is one', () => {
    expect(backoffDelayMs(1, 300, options, 0.5)).toBe(300);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('2', 0)).toBe(2000);
    expect(parseRetryAfterMs('0.5', 0)).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
  });
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfterMs(null, 0)).toBeUndefined();
    expect(parseRetryAfterMs('soon', 0)).toBeUndefined();
  });
});
