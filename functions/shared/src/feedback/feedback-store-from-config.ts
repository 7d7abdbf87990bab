/**
 * The one place a function's feedback store is made from its config, and the one line at start-up that
 * says where feedback goes and for how long. Feedback goes where the function's other state goes:
 * Firestore with STORE=firestore; this process's memory otherwise (there is no Redis feedback store: a
 * deployment on Redis keeps feedback per instance, and the start-up line says so).
 */
import { createHmac } from 'node:crypto';
import type { StoreConfig } from '../config.js';
import type { Log } from '../json-log.js';
import type { FeedbackConfig } from './feedback-config.js';
import { DAY_MS, type FeedbackStore } from './feedback-store.js';
import { createFirestoreFeedbackStore } from './firestore-feedback-store.js';
import { createMemoryFeedbackStore } from './memory-feedback-store.js';

export interface FeedbackStoreSources {
  /** A secret the function already holds, to derive the voter key from when FEEDBACK_VOTER_KEY is unset. */
  fallbackSecret?: string;
  log?: Log;
}

/** A voter key derived from another secret, so the secret itself is never the key. */
export function deriveVoterKey(secret: string): string {
  return createHmac('sha256', secret).update('mimicbot feedback voter key').digest('hex');
}

export function feedbackStoreFromConfig(store: StoreConfig, feedback: FeedbackConfig, sources: FeedbackStoreSources = {}): FeedbackStore {
  const retention = { replyTtlMs: feedback.replyTtlMs, ratedTtlMs: feedback.ratedTtlMs };
  const keyFrom = feedback.voterKey !== undefined ? 'FEEDBACK_VOTER_KEY' : sources.fallbackSecret !== undefined ? "the function's own secret" : 'nothing (unkeyed: set FEEDBACK_VOTER_KEY)';
  const kept = `unrated replies ${feedback.replyTtlMs / DAY_MS} days, rated ones ${feedback.ratedTtlMs / DAY_MS} days after the last rating`;
  if (store.kind !== 'firestore') {
    sources.log?.('feedback_store_in_use', { store: 'memory', summary: `memory: this instance only, lost on restart; ${kept}` });
    return createMemoryFeedbackStore(retention);
  }
  const voterKey = feedback.voterKey ?? (sources.fallbackSecret !== undefined ? deriveVoterKey(sources.fallbackSecret) : '');
  sources.log?.('feedback_store_in_use', { store: 'firestore', summary: `firestore database ${store.databaseId}; ${kept}; voter ids hashed with a key from ${keyFrom}` });
  return createFirestoreFeedbackStore({ projectId: store.projectId, databaseId: store.databaseId, emulatorHost: store.emulatorHost, voterKey, ...retention });
}
