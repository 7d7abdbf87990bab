/**
 * Where each dtype's graphs live in a model folder. The standard graphs use transformers.js's names
 * (`onnx/model{suffix}.onnx`, suffix `_quantized` for its `q8` dtype and `_q4` for `q4`), so
 * `from_pretrained(dir, { dtype })` finds them; the server's own graphs sit beside `server_decoder.onnx`.
 * One table, so that the package that comes to own the folder's file list can take it whole.
 */
import { SERVER_DECODER_FILE } from '../gpt2-server-decoder.js';
import type { QuantBits } from './block-quantize.js';

export const GRAPH_FILES = {
  fp32: { standard: 'onnx/model.onnx', server: SERVER_DECODER_FILE },
  q8: { standard: 'onnx/model_quantized.onnx', server: 'server_decoder_q8.onnx' },
  q4: { standard: 'onnx/model_q4.onnx', server: 'server_decoder_q4.onnx' },
} as const;

export type GraphDtype = keyof typeof GRAPH_FILES;

export const GRAPH_DTYPES = Object.keys(GRAPH_FILES) as GraphDtype[];

/** The fp32 optimum graph, where the folder's weights are read from: the root copy first. */
export const FP32_WEIGHT_SOURCES = ['model.onnx', GRAPH_FILES.fp32.standard] as const;

export function dtypeOfBits(bits: QuantBits): GraphDtype {
  return bits === 8 ? 'q8' : 'q4';
}
