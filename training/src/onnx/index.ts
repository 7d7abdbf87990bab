/**
 * `@mimicbot/training/onnx`: the GPT-2 inference graphs and the ONNX writer, for packages that build or edit
 * graphs themselves (the server's tests load models in layouts we do not export, its benchmarks build the
 * server decoder at 124M shape).
 */
export { buildGpt2Decoder, type Gpt2DecoderOptions } from './gpt2-decoder.js';
export { buildGpt2ServerDecoder } from './gpt2-server-decoder.js';
export { externalDataPath, writeOnnxModel, writeOptionsFor, type WriteOnnxOptions, type WrittenOnnx } from './write-onnx-model.js';
// The message types writeOnnxModel takes, for callers that edit a built graph.
export { DataType, type GraphProto, type ModelProto, type NodeProto } from './onnx-proto.js';
// Weight-only quantization of a model folder's graphs (the server's benchmark quantizes its model with it).
export { quantizeModelFolder, type QuantizeFolderHooks } from './quantize/quantize-model-folder.js';
export { DEFAULT_BLOCK_SIZE, defaultQuantizeSpec, describeQuantizeSpec, type QuantizeSpec } from './quantize/quantize-weights.js';
// The server's graph for a folder that lacks it, from the folder's export or checkpoint (the server's fast path).
export { buildServerGraphFrom, SERVER_GRAPH_BUILD, type BuildServerGraphHooks, type ServerGraphSource } from './server-graph-from-folder.js';
export { OnnxModelError } from './onnx-model-error.js';
