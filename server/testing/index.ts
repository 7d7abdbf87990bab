// Test support for the server's tests and other packages' tests: tiny model folders on the real runtime,
// and a fake decoder for driving the scheduler through its seam.
export { makeTempDir, referenceGreedy, writeTestModel, type TestLayout, type TestModel, type TinyModel } from './tiny-models.js';
export { FakeBatchDecoder, fakeLogits, type DecoderCall, type FakeDecoderOptions } from './fake-batch-decoder.js';
