import { defineConfig } from 'vitest/config';

/** Tests that run against the Firestore and Pub/Sub emulators are named *.emulators.test.ts. */
const EMULATOR_TESTS = '**/*.emulators.test.ts';

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Model tests are CPU-heavy; two cores here and in CI.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['**/src/**/*.test.ts', '**/test/**/*.test.ts'], exclude: ['**/node_modules/**', '**/dist/**', EMULATOR_TESTS] } },
      {
        extends: true,
        test: {
          name: 'emulators',
          include: [EMULATOR_TESTS],
          // Starts the emulators (unless the environment points at running ones) only when one of these runs.
          globalSetup: ['functions/shared/src/testing/vitest-gcp-emulators.ts'],
        },
      },
    ],
  },
});
