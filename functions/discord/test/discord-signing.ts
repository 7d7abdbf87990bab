/** A real Ed25519 key pair made for the test, and requests signed with it as Discord signs them. */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface TestApplicationKey {
  /** The public key as the Developer Portal shows it: 64 hex digits. */
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function applicationKey(): TestApplicationKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return { publicKeyHex: Buffer.from(x, 'base64url').toString('hex'), privateKey };
}

/** Discord's headers for `rawBody`: the signature of timestamp + body. */
export function signedHeaders(rawBody: string, key: TestApplicationKey, timestampS = Math.floor(Date.now() / 1000)): Record<string, string> {
  const timestamp = String(timestampS);
  const signature = sign(null, Buffer.from(timestamp + rawBody), key.privateKey).toString('hex');
  return { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp, 'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)' };
}
