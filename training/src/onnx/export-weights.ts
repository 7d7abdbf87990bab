/**
 * The GPT-2 weights inside a standard-contract graph (optimum's text-generation-with-past, what transformers.js
 * loads), read back so that the server's own graph can be built from a folder that holds only such an export.
 *
 * - fp32 weights by GPT-2's names: as our writer names them (`h.0.attn.c_attn.weight`), or with
 *   GPT2LMHeadModel's `transformer.` prefix, as a torch export keeps a Conv1D's parameter names.
 * - In a quantized export, the MatMulNBits blocks our quantizer wrote (`<weight>.qdata`, `.qscales`, `.qzeros`,
 *   and the tied embedding's table), taken byte for byte: the server graph then multiplies by exactly the
 *   export's numbers, so its greedy tokens are the export's. Quantizing again from dequantized weights would
 *   not promise that. The spec comes from the graph's `mimicbot_quantization` metadata.
 *
 * An export whose weights are named otherwise, or quantized by another tool (MatMulInteger), is refused with
 * an OnnxModelError; the server then runs the export as it is.
 */
import { gpt2TensorShapes, type Gpt2Config, type Gpt2Weights } from '../model/gpt2-config.js';
import { OnnxModelError } from './onnx-model-error.js';
import { DataType } from './onnx-proto.js';
import type { BlockQuantized, QuantBits } from './quantize/block-quantize.js';
import { EMBEDDING_BITS, HEAD_WEIGHT, linearWeightShapes, type QuantizedGpt2Weights, type QuantizeSpec } from './quantize/quantize-weights.js';
import { floatView, readOnnxInitializers, type OnnxRawTensor } from './read-onnx-weights.js';

export interface ExportWeights {
  /** fp32 weights; the quantized ones (and wte, when the head is quantized) are absent. */
  weights: Gpt2Weights;
  quantized?: QuantizedGpt2Weights;
}

/** GPT2LMHeadModel's parameter prefix (a torch export keeps parameter names). */
const LM_PREFIX = 'transformer.';

export async function readExportWeights(path: string, config: Gpt2Config): Promise<ExportWeights> {
  const { tensors, metadata } = await readOnnxInitializers(path, () => true);
  const spec = parseQuantizationMetadata(metadata.mimicbot_quantization, path);
  const quantized = spec ? quantizedOf(tensors, config, spec, path) : undefined;
  if (!spec && [...tensors.keys()].some((name) => name.endsWith('.qdata'))) throw new OnnxModelError('ONNX_MISSING_WEIGHT', path, 'has quantized blocks but no mimicbot_quantization metadata');

  const weights: Gpt2Weights = new Map();
  for (const [name, shape] of gpt2TensorShapes(config)) {
    if (quantized?.tensors.has(name)) continue;
    const t = tensors.get(name) ?? tensors.get(`${LM_PREFIX}${name}`);
    if (!t || t.dataType !== DataType.FLOAT) {
      throw new OnnxModelError(
        'ONNX_MISSING_WEIGHT',
        path,
        `no float32 initializer "${name}" (nor "${LM_PREFIX}${name}"); the server graph is built from weights named as GPT-2's checkpoint names them, and this export names them otherwise`,
      );
    }
    if (t.dims.join(',') !== shape.join(',')) throw new OnnxModelError('ONNX_BAD_TENSOR', path, `initializer "${name}" is [${t.dims.join(', ')}]; config.json's shape needs [${shape.join(', ')}]`);
    weights.set(name, floatView(t.bytes));
  }
  return quantized ? { weights, quantized } : { weights };
}

/** `describeQuantizeSpec`'s words back into a spec: `q4 block 32 asymmetric, head q4[, accuracy_level N]`. */
export function parseQuantizationMetadata(text: string | undefined, path: string): QuantizeSpec | undefined {
  if (text === undefined) return undefined;
  const m = /^q([48]) block (\d+) (symmetric|asymmetric), head (fp32|q[48])(?:, accuracy_level (\d+))?$/.exec(text);
  if (!m) throw new OnnxModelError('ONNX_BAD_TENSOR', path, `mimicbot_quantization metadata ${JSON.stringify(text)} is not one this version reads`);
  const spec: QuantizeSpec = { bits: Number(m[1]) as QuantBits, blockSize: Number(m[2]), symmetric: m[3] === 'symmetric', keepHead: m[4] === 'fp32' };
  if (!spec.keepHead) spec.headBits = Number(m[4].slice(1)) as QuantBits;
  if (m[5] !== undefined) spec.accuracyLevel = Number(m[5]);
  return spec;
}

function quantizedOf(tensors: Map<string, OnnxRawTensor>, config: Gpt2Config, spec: QuantizeSpec, path: string): QuantizedGpt2Weights {
  const block = (prefix: string, K: number, N: number, bits: QuantBits, dataName = `${prefix}.qdata`, scalesName = `${prefix}.qscales`, zerosName = `${prefix}.qzeros`): BlockQuantized => {
    const kBlocks = Math.ceil(K / spec.blockSize);
    const blob = (spec.blockSize * bits) / 8;
    const data = expectTensor(tensors, dataName, DataType.UINT8, N * kBlocks * blob, path);
    const scales = expectTensor(tensors, scalesName, DataType.FLOAT, N * kBlocks * 4, path);
    const zeroBytes = N * Math.ceil((kBlocks * bits) / 8);
    const zeroPoints = spec.symmetric ? undefined : expectTensor(tensors, zerosName, DataType.UINT8, zeroBytes, path).bytes;
    return { N, K, bits, blockSize: spec.blockSize, kBlocks, data: data.bytes, scales: floatView(scales.bytes), ...(zeroPoints ? { zeroPoints } : {}) };
  };
  const out = new Map<string, BlockQuantized>();
  for (const { name, K, N } of linearWeightShapes(config)) out.set(name, block(name, K, N, spec.bits));
  if (spec.keepHead) return { spec, tensors: out };
  const V = config.vocabSize;
  const C = config.nEmbd;
  const head = block(HEAD_WEIGHT, C, V, spec.headBits ?? spec.bits);
  out.set(HEAD_WEIGHT, head);
  // The 8-bit lookup table: the head's own bytes at 8 bits, else its own `wte.embedding.qdata`; its scales and
  // zero points (one a byte at 8 bits, so the same bytes as packed) are `wte.qscales` / `wte.qzeros`.
  const embedding = head.bits === EMBEDDING_BITS ? head : block('wte', C, V, EMBEDDING_BITS, 'wte.embedding.qdata');
  return { spec, tensors: out, embedding };
}

function expectTensor(tensors: Map<string, OnnxRawTensor>, name: string, dataType: number, byteLength: number, path: string): OnnxRawTensor {
  const t = tensors.get(name);
  if (!t) throw new OnnxModelError('ONNX_MISSING_WEIGHT', path, `no initializer "${name}", which its mimicbot_quantization metadata implies`);
  if (t.dataType !== dataType || t.bytes.byteLength !== byteLength) {
    throw new OnnxModelError('ONNX_BAD_TENSOR', path, `initializer "${name}" [${t.dims.join(', ')}] is not the ${byteLength}-byte ${dataType === DataType.FLOAT ? 'float32' : 'uint8'} tensor its quantization metadata implies`);
  }
  return t;
}
