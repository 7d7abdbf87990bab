/**
 * vitest globalSetup of the `emulators` project (the *.emulators.test.ts files): the Firestore and Pub/Sub
 * emulators for the whole run, started only when one of those files runs. When FIRESTORE_EMULATOR_HOST
 * and PUBSUB_EMULATOR_HOST point at running ones, those are used; otherwise both are started on free ports
 * (in the background: tests that need them wait in gcpEmulatorsForTests, the others do not) and stopped at
 * the end. Not installed: the tests that need them fail saying so.
 */
import type { TestProject } from 'vitest/node';
import { gcpEmulatorsMissing, startGcpEmulators, warmUpGcpEmulators } from './gcp-emulators.js';
import type { ProvidedGcpEmulators } from './gcp-emulators-for-tests.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { FIRESTORE_EMULATOR_HOST: firestore, PUBSUB_EMULATOR_HOST: pubsub } = process.env;
  if (firestore && pubsub) {
    project.provide('gcpEmulators', { firestore, pubsub } satisfies ProvidedGcpEmulators);
    return async () => {};
  }
  const missing = gcpEmulatorsMissing();
  if (missing) {
    project.provide('gcpEmulators', { missing } satisfies ProvidedGcpEmulators);
    return async () => {};
  }
  const emulators = await startGcpEmulators();
  project.provide('gcpEmulators', { firestore: emulators.firestore, pubsub: emulators.pubsub } satisfies ProvidedGcpEmulators);
  // Their output is printed here when they fail to come up; the tests waiting on them fail with a timeout.
  emulators
    .ready()
    .then(() => warmUpGcpEmulators(emulators))
    .catch((error: Error) => {
      if (!/stopped before/.test(error.message)) console.error(`vitest global setup: ${error.message}`);
    });
  return () => emulators.stop();
}
