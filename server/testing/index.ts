/**
 * Test support for the server's own tests and other packages' tests (`@mimicbot/server/testing`); never part
 * of a deployed bundle: tiny model folders on the real runtime (random GPT-2-tokenizer folders, and tiny
 * models in every layout the engine loads), a fake decoder for driving the scheduler through its seam, SSE.
 */
export { makeTempDir } from '@mimicbot/training/testing';
export * from './test-model.js';
export * from './sse.js';
export { referenceGreedy, writeLayoutModel, type TestLayout, type TestModel, type TinyModel } from './tiny-models.js';
export { FakeBatchDecoder, fakeLogits, type DecoderCall, type FakeDecoderOptions } from './fake-batch-decoder.js';
