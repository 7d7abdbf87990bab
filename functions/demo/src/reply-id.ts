/**
 * The random values the demo hands out: a reply's id (the only thing the page sends back with a 👍/👎, so
 * it must not be guessable: 128 random bits) and each draw's seed (so a rated reply can be drawn again).
 */
import { randomBytes, randomInt } from 'node:crypto';

/** 22 base64url characters: 16 random bytes. */
export const REPLY_ID = /^[A-Za-z0-9_-]{22}$/;

export function newReplyId(): string {
  return randomBytes(16).toString('base64url');
}

/** A seed the server accepts and JSON carries exactly (below 2^31, so seed + choice stays small too). */
export function newSeed(): number {
  return randomInt(0, 2 ** 31 - 1);
}
