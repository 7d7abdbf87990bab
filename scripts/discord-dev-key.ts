/**
 * The Ed25519 key `npm run dev` gives the local Discord function, and with which scripts/discord-try.ts signs
 * its interactions. For this machine only, like dev.ts's Slack signing secret: a real application's key
 * pair is Discord's, and the function only ever holds its public half.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/** An arbitrary 32-byte seed. */
const DEV_SEED_HEX = '6d696d6963626f742d6465762d6b65792d6e6f742d666f722d70726f64756374';
/** PKCS#8 DER for an Ed25519 private key, up to its 32-byte seed (RFC 8410). */
const PKCS8_ED25519_PREFIX = '302e020100300506032b657004220420';

export const devPrivateKey: KeyObject = createPrivateKey({ key: Buffer.from(PKCS8_ED25519_PREFIX + DEV_SEED_HEX, 'hex'), format: 'der', type: 'pkcs8' });

/** The public key as DISCORD_PUBLIC_KEY takes it: 64 hex digits. */
export const DEV_DISCORD_PUBLIC_KEY = Buffer.from(createPublicKey(devPrivateKey).export({ format: 'jwk' }).x!, 'base64url').toString('hex');
