/** Test support other packages' tests use too (`@mimicbot/server/testing`); never part of a deployed bundle. */
export * from './temp-dir.js';
export * from './test-model.js';
export * from './sse.js';
