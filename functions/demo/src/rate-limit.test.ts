import { createMemoryStore } from '@mimicbot/functions-shared';
import { describe, expect, it } from 'vitest';
import { clientId, createRateLimiter } from './rate-limit.js';

describe('createRateLimiter', () => {
  it('allows `limit` requests per client per window, then says how long to wait', async () => {
    let now = 60_000 * 1000 + 15_000;
    const store = createMemoryStore({ now: () => now });
    const take = createRateLimiter({ store, limit: 2, windowMs: 60_000, now: () => now });
    expect(await take('a')).toEqual({ allowed: true, remaining: 1 });
    expect(await take('a')).toEqual({ allowed: true, remaining: 0 });
    expect(await take('a')).toEqual({ allowed: false, retryAfterS: 45 });
    expect(await take('b')).toEqual({ allowed: true, remaining: 1 });
    now += 45_000;
    expect(await take('a')).toEqual({ allowed: true, remaining: 1 });
  });
});

describe('clientId', () => {
  it("uses the last X-Forwarded-For entry (the one Google's front end adds), else the socket", () => {
    expect(clientId('1.1.1.1, 203.0.113.9', '10.0.0.1')).toBe('203.0.113.9');
    expect(clientId(undefined, '127.0.0.1')).toBe('127.0.0.1');
    expect(clientId(['9.9.9.9', '8.8.8.8'], undefined)).toBe('8.8.8.8');
  });
});
