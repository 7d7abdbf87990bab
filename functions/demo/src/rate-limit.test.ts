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

  it('counts two limits on one store apart by their key prefix', async () => {
    const store = createMemoryStore();
    const replies = createRateLimiter({ store, limit: 1, windowMs: 60_000 });
    const ratings = createRateLimiter({ store, limit: 1, windowMs: 60_000, keyPrefix: 'feedback' });
    expect(await replies('a')).toMatchObject({ allowed: true });
    expect(await ratings('a')).toMatchObject({ allowed: true });
    expect(await ratings('a')).toMatchObject({ allowed: false });
  });
});

describe('clientId', () => {
  it('trusts no header when no proxy hop is trusted: the socket address, whatever X-Forwarded-For says', () => {
    expect(clientId('1.1.1.1, 203.0.113.9', '10.0.0.1', 0)).toBe('10.0.0.1');
    expect(clientId(undefined, '127.0.0.1', 0)).toBe('127.0.0.1');
  });

  it('takes the entry as many from the end as there are trusted hops', () => {
    expect(clientId('1.1.1.1, 203.0.113.9', '10.0.0.1', 1)).toBe('203.0.113.9');
    expect(clientId('1.1.1.1, 203.0.113.9, 198.51.100.4', '10.0.0.1', 2)).toBe('203.0.113.9');
  });

  it('reads several header lines as one list, in order', () => {
    expect(clientId(['9.9.9.9', '8.8.8.8, 7.7.7.7'], '10.0.0.1', 1)).toBe('7.7.7.7');
    expect(clientId(['9.9.9.9', '8.8.8.8, 7.7.7.7'], '10.0.0.1', 3)).toBe('9.9.9.9');
  });

  it('falls back to the socket when fewer entries came than hops are trusted, and ignores empty entries', () => {
    expect(clientId('203.0.113.9', '10.0.0.1', 2)).toBe('10.0.0.1');
    expect(clientId(undefined, '10.0.0.1', 1)).toBe('10.0.0.1');
    expect(clientId('203.0.113.9, , ', '10.0.0.1', 1)).toBe('203.0.113.9');
  });

  it('cannot be escaped with forged entries: whatever a client prepends, the trusted entry decides', () => {
    const forged = Array.from({ length: 200 }, (_, i) => `${i % 256}.${(i * 7) % 256}.1.${i % 13}, ${'x'.repeat(i)}`);
    for (const prefix of forged) expect(clientId(`${prefix}, 203.0.113.9`, '10.0.0.1', 1)).toBe('203.0.113.9');
    for (const prefix of forged) expect(clientId(prefix, '10.0.0.1', 0)).toBe('10.0.0.1');
  });

  it('bounds the length of an id taken from the header', () => {
    expect(clientId(`${'a'.repeat(5000)}`, '10.0.0.1', 1)).toHaveLength(100);
  });
});
