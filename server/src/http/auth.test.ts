import { describe, expect, it } from 'vitest';
import { bearerToken, secretMatches } from './auth.js';

describe('auth helpers', () => {
  it('reads the key from Authorization: Bearer, case-insensitively', () => {
    expect(bearerToken('Bearer sk-1')).toBe('sk-1');
    expect(bearerToken('bearer   sk-2 ')).toBe('sk-2');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('matches a secret against any of the accepted ones, whatever the lengths', () => {
    expect(secretMatches('b', ['a', 'b'])).toBe(true);
    expect(secretMatches('bb', ['a', 'b'])).toBe(false);
    expect(secretMatches(undefined, ['a'])).toBe(false);
    expect(secretMatches('', [])).toBe(false);
  });
});
