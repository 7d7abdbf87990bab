import { createFirestoreStore } from '@mimicbot/functions-shared';
import { gcpEmulatorsForTests } from '@mimicbot/functions-shared/testing';
import { curatedActionsSuite } from './curated-actions-suite.js';

// The real Firestore emulator; a project of its own keeps this file's documents apart from other tests'.
curatedActionsSuite('Firestore store', async () => {
  const { firestore } = await gcpEmulatorsForTests();
  return createFirestoreStore({ emulatorHost: firestore, projectId: `demo-curated-${process.pid}`, keyPrefix: 'twitter:', timeoutMs: 60_000 });
});
