/**
 * The emulators vitest's global setup (vitest-gcp-emulators.ts) started, or the ones the environment points
 * at, for a test to use: waits until they answer, and fails (never skips) with what is missing when they
 * are not installed.
 */
import { inject } from 'vitest';
import { waitForEmulator, type GcpEmulatorHosts } from './gcp-emulators.js';

export type ProvidedGcpEmulators = GcpEmulatorHosts | { missing: string };

declare module 'vitest' {
  export interface ProvidedContext {
    gcpEmulators: ProvidedGcpEmulators;
  }
}

export async function gcpEmulatorsForTests(): Promise<GcpEmulatorHosts> {
  const provided = inject('gcpEmulators');
  if (provided === undefined) throw new Error('no emulators were provided: run the tests through the root vitest.config.ts, in a file named *.emulators.test.ts (the globalSetup of that project starts them)');
  if ('missing' in provided) throw new Error(`these tests need the Google Cloud emulators: ${provided.missing}`);
  await Promise.all([waitForEmulator('Firestore', provided.firestore), waitForEmulator('Pub/Sub', provided.pubsub)]);
  return provided;
}
