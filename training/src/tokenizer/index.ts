export { buildGpt2Tokenizer } from './gpt2-tokenizer.js';
export { buildByteLevelTokenizer, BYTE_LEVEL_VOCAB_SIZE } from './byte-level-tokenizer.js';
export { END_OF_TEXT } from './tokenizer-json.js';
