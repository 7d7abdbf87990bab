/**
 * The server's own graph (the cache layout of `buildGpt2ServerDecoder`) for a model folder that lacks it,
 * built from the weights the folder does hold: a standard-contract export (fp32, or quantized by our
 * quantizer: its blocks are reused as they are), or a Hugging Face checkpoint's safetensors. The inference
 * server's fast path calls it at start-up and caches the result (server/src/service/server-graph-cache.ts).
 */
import type { GraphDtype } from '@mimicbot/model-format';
import { loadHfCheckpoint } from '../checkpoint/index.js';
import type { Gpt2Config } from '../model/gpt2-config.js';
import { readExportWeights } from './export-weights.js';
import { buildGpt2ServerDecoder } from './gpt2-server-decoder.js';
import type { ModelProto } from './onnx-proto.js';
import { defaultQuantizeSpec, quantizeGpt2Weights } from './quantize/quantize-weights.js';

/**
 * Bump when the server graph built from the same weights changes (a new input, a different op), so that
 * graphs cached by an older server are rebuilt rather than served.
 */
// 2: the heads cache layout (past `[B, NH, Pcap, HS]`, attention over the slab as it lies).
// 3: the weights in external data (`<graph>_data`), which onnxruntime maps instead of copying.
// 4: the MLP's bias and gelu as one com.microsoft.FastGelu.
export const SERVER_GRAPH_BUILD = 4;

export type ServerGraphSource =
  /** A standard-contract graph file (model.onnx, onnx/model.onnx, onnx/model_quantized.onnx, onnx/model_q4.onnx). */
  | { kind: 'onnx'; path: string }
  /** A Hugging Face checkpoint folder (config.json + model.safetensors or shards), served at `dtype`. */
  | { kind: 'safetensors'; dir: string; dtype: GraphDtype };

export interface BuildServerGraphHooks {
  /** Checkpoint bytes read so far, of the total (safetensors sources). */
  onRead?: (done: number, total: number) => void;
  /** Parameters quantized so far, of the total (a checkpoint served at q8 or q4). */
  onQuantize?: (done: number, total: number) => void;
  /** The weights are read: the source was one we can build from. */
  onWeightsRead?: () => void;
}

export async function buildServerGraphFrom(source: ServerGraphSource, config: Gpt2Config, hooks: BuildServerGraphHooks = {}): Promise<ModelProto> {
  if (source.kind === 'onnx') {
    const { weights, quantized } = await readExportWeights(source.path, config);
    hooks.onWeightsRead?.();
    return buildGpt2ServerDecoder(config, weights, quantized ? { quantized } : {});
  }
  const checkpoint = await loadHfCheckpoint(source.dir, { onProgress: hooks.onRead });
  hooks.onWeightsRead?.();
  if (source.dtype === 'fp32') return buildGpt2ServerDecoder(checkpoint.config, checkpoint.weights);
  // `mimicbot quantize`'s defaults: block 32, asymmetric, head quantized (docs/quantization.md).
  const spec = defaultQuantizeSpec(source.dtype);
  const quantized = quantizeGpt2Weights(checkpoint.config, checkpoint.weights, spec, hooks.onQuantize);
  return buildGpt2ServerDecoder(checkpoint.config, checkpoint.weights, { quantized });
}
