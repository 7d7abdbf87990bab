// `@mimicbot/model-format`: the one home of the model folder's format (docs/contracts.md), read and written
// the same way by training and the server. The sampler is the `./sampling` entry.
export { ModelFolderError, type ModelFolderErrorCode } from './model-folder-error.js';
export { gpt2ParameterCount, type Gpt2Config } from './gpt2-config.js';
export { CONFIG_LIMITS, parseHfConfig, toGenerationConfig, toHfConfig, type CheckpointLayout } from './hf-config.js';
export { MAX_CONFIG_BYTES, readModelConfig } from './read-model-config.js';
export { GRAPH_CANDIDATES, GRAPH_DTYPES, graphFile, isServerGraphFile, pickGraph, SERVER_DECODER_FILE, type GraphContract, type GraphDtype, type GraphFile, type PickedGraph, type PickGraphOptions } from './graph-files.js';
export {
  createTokenizer,
  loadTokenizer,
  MAX_TOKENIZER_CONFIG_BYTES,
  MAX_TOKENIZER_JSON_BYTES,
  readTokenizerFiles,
  type ReadTokenizerOptions,
  type TokenizerFiles,
  writeTokenizerFiles,
} from './tokenizer-files.js';
export { createTextTokenizer, loadTextTokenizer, readTokenizerSources, type TextTokenizer, type TokenizerSources } from './text-tokenizer.js';
export { resolveSpecialIds, type SpecialIds, type SpecialIdSources } from './special-ids.js';
export { byteLevelBytes, CHAR_OF_BYTE } from './byte-level-alphabet.js';
export { createByteLevelDecoder, type TokenDecoder } from './byte-level-decoder.js';
export { createTokenDecoder, loadTokenDecoder, type FolderTokenDecoder } from './token-decoder.js';
export { MAX_CARD_BYTES, MAX_DESCRIPTION_CHARS, MODEL_CARD_FILE, modelCardMarkdown, parseModelCard, readModelCard, writeModelCard, type ModelCard, type ModelCardInput } from './model-card.js';
export { printable } from './printable.js';
