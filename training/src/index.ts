/**
 * `@mimicbot/training` as a library: what other packages use to make model folders the server loads (the
 * server's start-up default model, its benchmarks and tests, the functions' test model server). The CLI is
 * the toolchain's real entry (`src/cli/main.ts`); its scripts and benchmarks import modules by path.
 * ONNX graph builders are `@mimicbot/training/onnx`; tiny models, fakes and helpers for tests are
 * `@mimicbot/training/testing`.
 */
export { GPT2_124M, type Gpt2Config, type Gpt2Weights } from './model/gpt2-config.js';
export { tinyGpt2Config } from './model/tiny-config.js';
export { initGpt2Weights } from './model/init-weights.js';
export { gpt2Forward, type ForwardInputs, type ForwardOutputs } from './model/reference-forward.js';
export { buildByteLevelTokenizer, buildGpt2Tokenizer } from './tokenizer/index.js';
export { writeModelFolder, writeRandomModel, type ModelFolderContents, type RandomModelOptions, type WriteModelFolderOptions } from './model-folder/index.js';
export { createProgressBar, type ProgressBar, type ProgressBarOptions } from './progress.js';
