// Test support other packages' tests (and the server's own) may use: tiny model folders on the real runtime.
export { makeTempDir, referenceGreedy, writeTestModel, type TestLayout, type TestModel, type TinyModel } from './tiny-models.js';
