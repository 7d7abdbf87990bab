/**
 * Test support for the training package's own tests and other packages' tests (`@mimicbot/training/testing`):
 * local stand-ins for the services the toolchain talks to over the network, speaking their wire formats;
 * tiny random models, checkpoints, tokenizer folders and raw safetensors bytes; an independent BPE encoder
 * to check our tokenizer.json against; a captured CLI context to run `mimicbot` commands in-process. Nothing
 * in the toolchain or a deployed bundle imports this.
 */
export { startFakeX, type FakeTweet, type FakeX, type FakeXOptions } from './fake-x-server.js';
export { startFakeHub, type FakeHub, type FakeHubOptions, type FakeRepo, type HubRequestLog } from './fake-hub-server.js';
export { makeTempDir } from './temp-dir.js';
export { tinyTestModel } from './tiny-test-model.js';
export { writeTinyCheckpoint, type TinyCheckpointOptions } from './tiny-checkpoint.js';
export { writeTokenizerFolder } from './tokenizer-folder.js';
export { rawSafetensors, writeBytes } from './safetensors-bytes.js';
export { BpeEncoder } from './bpe-encoder.js';
export { captureIo, commandRunner, type CapturedIo } from './capture-io.js';
