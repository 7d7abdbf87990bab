import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519PublicKey, interactionVerifier } from './interaction-signature.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicKeyHex = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
const check = interactionVerifier(publicKeyHex);
const body = Buffer.from('{"type":1}');
const now = 1_750_000_000_000;
const timestamp = String(now / 1000);
const signature = sign(null, Buffer.concat([Buffer.from(timestamp), body]), privateKey).toString('hex');

describe('interactionVerifier', () => {
  it('accepts the signature of timestamp + raw body made with the key whose 64 hex digits it was given', () => {
    expect(ed25519PublicKey(publicKeyHex).equals(publicKey)).toBe(true);
    expect(check({ signature, timestamp }, body, now)).toEqual({ ok: true });
  });

  it('refuses a changed body, a changed timestamp, a flipped bit, and a malformed header', () => {
    expect(check({ signature, timestamp }, Buffer.from('{"type":2}'), now)).toMatchObject({ ok: false, field: 'x-signature-ed25519' });
    expect(check({ signature, timestamp: String(now / 1000 + 1) }, body, now)).toMatchObject({ ok: false, field: 'x-signature-ed25519' });
    const flipped = (parseInt(signature[0], 16) ^ 1).toString(16) + signature.slice(1);
    expect(check({ signature: flipped, timestamp }, body, now)).toMatchObject({ ok: false, reason: 'invalid request signature' });
    expect(check({ signature: 'zz', timestamp }, body, now)).toMatchObject({ ok: false, field: 'x-signature-ed25519' });
    expect(check({ signature, timestamp: undefined }, body, now)).toMatchObject({ ok: false, field: 'x-signature-timestamp' });
  });

  it('refuses a correctly signed request dated more than five minutes from now, either way', () => {
    expect(check({ signature, timestamp }, body, now + 300_000)).toEqual({ ok: true });
    expect(check({ signature, timestamp }, body, now + 301_000)).toMatchObject({ ok: false, field: 'x-signature-timestamp' });
    expect(check({ signature, timestamp }, body, now - 301_000)).toMatchObject({ ok: false, field: 'x-signature-timestamp' });
  });

  it('will not start with a key that is not 64 hex digits', () => {
    expect(() => interactionVerifier('abc')).toThrow(/64 hex digits/);
  });
});
