/** Test helpers shared by the functions' test suites (not part of any deployed bundle). */
export * from './free-port.js';
export * from './redis-server.js';
export * from './model-server.js';
export * from './model-server-for-suite.js';
export * from './stand-in-model.js';
export * from './issue-11-drafts.js';
export * from './run-function.js';
export * from './function-process.js';
export * from './scripted-model.js';
export * from './gcp-emulators.js';
export * from './gcp-emulators-for-tests.js';
export * from './fake-google-certs.js';
export * from './pubsub-emulator.js';
export * from './kv-store-suite.js';
export * from './feedback-store-suite.js';
