import { Firestore } from '@google-cloud/firestore';
import { describe, expect, it } from 'vitest';
import { feedbackStoreSuite } from '../testing/feedback-store-suite.js';
import { gcpEmulatorsForTests } from '../testing/gcp-emulators-for-tests.js';
import { FEEDBACK_COLLECTION, FEEDBACK_EXPIRY_FIELD, createFirestoreFeedbackStore } from './firestore-feedback-store.js';
import { voterDigest } from './voter-digest.js';

const VOTER_KEY = 'test-voter-key';

// The real Firestore emulator; a project of its own keeps this file's documents apart from other tests'.
feedbackStoreSuite('the firestore feedback store', async (retention) => {
  const { firestore } = await gcpEmulatorsForTests();
  return createFirestoreFeedbackStore({ emulatorHost: firestore, projectId: `demo-feedback-${process.pid}`, voterKey: VOTER_KEY, timeoutMs: 60_000, pageSize: 2, ...retention });
});

describe('what the firestore feedback store writes', () => {
  it('keeps a keyed hash of each voter, never the id, and an expiry the TTL policy can use', async () => {
    const { firestore } = await gcpEmulatorsForTests();
    const projectId = `demo-feedback-doc-${process.pid}`;
    const store = createFirestoreFeedbackStore({ emulatorHost: firestore, projectId, voterKey: VOTER_KEY, timeoutMs: 60_000 });
    const servedAt = Date.now();
    await store.saveReply({ surface: 'slack', id: 'C1:1700000000.000100', model: 'tiny', prompt: 'p', text: 't', seed: 7, settings: { maxTokens: 5, temperature: 1, topP: 1 }, servedAt });
    await store.rate('slack', 'C1:1700000000.000100', 'U0123ABCD', 'up');
    const db = new Firestore({ projectId, host: firestore, ssl: false });
    try {
      const document = await db.collection(FEEDBACK_COLLECTION).doc('slack:C1:1700000000.000100').get();
      expect(JSON.stringify(document.data())).not.toContain('U0123ABCD');
      expect(document.get('votes')).toEqual({ [voterDigest(VOTER_KEY, 'slack', 'U0123ABCD')]: 'up' });
      expect(voterDigest('another-key', 'slack', 'U0123ABCD')).not.toBe(voterDigest(VOTER_KEY, 'slack', 'U0123ABCD'));
      const expiresAt = (document.get(FEEDBACK_EXPIRY_FIELD) as { toMillis(): number }).toMillis();
      // Rated: kept 180 days (the default) after the rating.
      expect(expiresAt - servedAt).toBeGreaterThanOrEqual(180 * 24 * 3600 * 1000);
      expect(document.get('up')).toBe(1);
    } finally {
      await db.terminate();
      await store.close();
    }
  });
});
