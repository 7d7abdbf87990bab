/**
 * Discord signs every interaction request with the application's Ed25519 key: `X-Signature-Ed25519` is the
 * hex signature of `X-Signature-Timestamp + raw body`, checked against the public key from the Developer
 * Portal. Discord refuses to save an Interactions Endpoint URL that accepts a badly signed request.
 *
 * Node's own crypto verifies Ed25519 (OpenSSL underneath), so no library: discord-interactions and tweetnacl
 * would wrap the same one call. The key is built once from its 32 raw bytes as a JWK.
 * A timestamp more than five minutes from now is refused too (as Slack's), so a captured request cannot be
 * replayed later.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export const MAX_CLOCK_SKEW_S = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string; field: string };

export function ed25519PublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('an Ed25519 public key is 64 hex digits');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

export function interactionVerifier(publicKeyHex: string) {
  const key = ed25519PublicKey(publicKeyHex);
  return function checkInteraction(headers: { signature: unknown; timestamp: unknown }, rawBody: Buffer | undefined, nowMs: number): SignatureCheck {
    const { signature, timestamp } = headers;
    if (typeof signature !== 'string' || !/^[0-9a-fA-F]{128}$/.test(signature)) {
      return { ok: false, reason: 'missing or malformed signature (128 hex digits expected)', field: 'x-signature-ed25519' };
    }
    if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed timestamp', field: 'x-signature-timestamp' };
    if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_S) {
      return { ok: false, reason: `timestamp more than ${MAX_CLOCK_SKEW_S} s from now`, field: 'x-signature-timestamp' };
    }
    const message = Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody ?? Buffer.alloc(0)]);
    if (!verify(null, message, key, Buffer.from(signature, 'hex'))) return { ok: false, reason: 'invalid request signature', field: 'x-signature-ed25519' };
    return { ok: true };
  };
}
