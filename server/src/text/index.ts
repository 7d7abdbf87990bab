export { loadTextTokenizer, type TextTokenizer } from './tokenizer.js';
export { IncrementalDecoder } from './incremental-decoder.js';
export { StopSequenceMatcher } from './stop-sequences.js';
export { shapeMillzbotSample, isEmptySample, type MillzbotShaping } from './millzbot-text.js';
export { TokenizerFolderError } from './errors.js';
