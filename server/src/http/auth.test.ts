import { describe, expect, it } from 'vitest';
import { CallerAuth, bearerToken, secretMatches } from './auth.js';

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

describe('CallerAuth', () => {
  it('accepts REQUEST_TOKEN and every API key alike, from any place the secret was presented', () => {
    const auth = new CallerAuth({ requestToken: 'tok', apiKeys: ['k1', 'k2'] });
    expect(auth.required).toBe(true);
    for (const secret of ['tok', 'k1', 'k2']) expect(auth.accepts(secret)).toBe(true);
    expect(auth.accepts(undefined, 'k2')).toBe(true);
    expect(auth.accepts('wrong', undefined)).toBe(false);
    expect(auth.accepts()).toBe(false);
  });

  it('requires a secret when only one of REQUEST_TOKEN and API_KEYS is set, and none when neither is', () => {
    expect(new CallerAuth({ apiKeys: ['k'] }).accepts('tok')).toBe(false);
    expect(new CallerAuth({ requestToken: 'tok', apiKeys: [] }).accepts('k')).toBe(false);
    const open = new CallerAuth({ apiKeys: [] });
    expect(open.required).toBe(false);
    expect(open.accepts(undefined)).toBe(true);
  });
});
