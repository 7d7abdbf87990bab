/**
 * What the Firestore store keeps in place of a voter id: HMAC-SHA256 of `surface:voter` under the
 * deployment's FEEDBACK_VOTER_KEY, cut to 128 bits. The store only needs to tell voters apart (one rating
 * each) and to find a voter's rating again when a reaction is removed; it never needs to know who voted.
 * Slack user ids are few and guessable, so a plain hash could be reversed by trying them all; with a key
 * only the functions hold, the database alone says nothing about who voted. The same key must be set on
 * every function that rates, or a voter's later change counts as a second voter.
 */
import { createHmac } from 'node:crypto';
import type { FeedbackSurface } from './feedback-store.js';

export function voterDigest(key: string, surface: FeedbackSurface, voter: string): string {
  return createHmac('sha256', key).update(`${surface}:${voter}`).digest('hex').slice(0, 32);
}
