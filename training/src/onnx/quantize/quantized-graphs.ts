/**
 * A quantized model's two graphs, by file name in the model folder: the optimum-contract one under
 * transformers.js's name, and the server's. Both are built by the same builders as the fp32 graphs, from one
 * quantization of the weights.
 */
import type { Gpt2Config, Gpt2Weights } from '../../model/gpt2-config.js';
import { buildGpt2Decoder } from '../gpt2-decoder.js';
import { buildGpt2ServerDecoder } from '../gpt2-server-decoder.js';
import type { ModelProto } from '../onnx-proto.js';
import { dtypeOfBits, graphFilesOf } from './graph-files.js';
import { quantizeGpt2Weights, type QuantizeSpec } from './quantize-weights.js';

export function buildQuantizedGraphs(
  config: Gpt2Config,
  weights: Gpt2Weights,
  spec: QuantizeSpec,
  onProgress?: (done: number, total: number) => void,
): Record<string, ModelProto> {
  const quantized = quantizeGpt2Weights(config, weights, spec, onProgress);
  const files = graphFilesOf(dtypeOfBits(spec.bits));
  return {
    [files.standard]: buildGpt2Decoder(config, weights, { quantized }),
    [files.server]: buildGpt2ServerDecoder(config, weights, { quantized }),
  };
}
