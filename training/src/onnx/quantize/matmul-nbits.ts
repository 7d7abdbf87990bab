/**
 * The graph side of block quantization: a `com.microsoft.MatMulNBits` node over a BlockQuantized weight,
 * and a `GatherBlockQuantized` that looks rows up in the same packed bytes (the tied embedding).
 */
import { DataType } from '../onnx-proto.js';
import type { GraphBuilder } from '../graph-builder.js';
import { bytesOf } from '../graph-builder.js';
import type { BlockQuantized } from './block-quantize.js';

export const MS_DOMAIN = 'com.microsoft';
/**
 * accuracy_level 4: onnxruntime may quantize the activations to int8 per block and use integer dot
 * products. It is what made the 4- and 8-bit graphs 3-4x faster than fp32 here (onnx.md §3.6); the eval
 * command measures what it costs in perplexity.
 */
export const ACCURACY_LEVEL = 4;

/** The initializers of one quantized weight, added once per graph; returns their names. */
export interface QuantizedTensors {
  data: string;
  scales: string;
  zeroPoints?: string;
}

/** Only the packed bytes `[N, kBlocks, blob]` (all that an embedding-only matrix needs). */
export function addQuantizedData(g: GraphBuilder, name: string, m: BlockQuantized): string {
  return g.tensor({ name: `${name}.qdata`, dataType: DataType.UINT8, dims: [m.N, m.kBlocks, (m.blockSize * m.bits) / 8], raw: m.data });
}

export function addQuantizedTensors(g: GraphBuilder, name: string, m: BlockQuantized): QuantizedTensors {
  const data = addQuantizedData(g, name, m);
  const scales = g.tensor({ name: `${name}.qscales`, dataType: DataType.FLOAT, dims: [m.N, m.kBlocks], raw: bytesOf(m.scales) });
  const zeroPoints = m.zeroPoints
    ? g.tensor({ name: `${name}.qzeros`, dataType: DataType.UINT8, dims: [m.N, m.zeroPoints.length / m.N], raw: m.zeroPoints })
    : undefined;
  return { data, scales, zeroPoints };
}

export interface MatMulNBitsOptions {
  name: string;
  output?: string;
  /** 0 computes in fp32 (exact against a dequantized reference); the graphs use ACCURACY_LEVEL. */
  accuracyLevel?: number;
}

/** x `[..., K]` -> `[..., N]`: x times the weight's transpose, as a Conv1D's `x @ W` or the head's `x @ wte^T`. */
export function matMulNBits(g: GraphBuilder, x: string, m: BlockQuantized, tensors: QuantizedTensors, options: MatMulNBitsOptions): string {
  const inputs = [x, tensors.data, tensors.scales, ...(tensors.zeroPoints ? [tensors.zeroPoints] : [])];
  const accuracyLevel = options.accuracyLevel ?? ACCURACY_LEVEL;
  return g.op(
    'MatMulNBits',
    inputs,
    { K: { i: m.K }, N: { i: m.N }, bits: { i: m.bits }, block_size: { i: m.blockSize }, accuracy_level: { i: accuracyLevel } },
    { name: options.name, domain: MS_DOMAIN, output: options.output },
  );
}

/**
 * Rows of a quantized `[N, K]` matrix looked up by index and dequantized: the token embedding, so the model
 * keeps no fp32 copy of wte. `ids` `[B, T]` -> `[B, T, K]`. `data` is the matrix's packed bytes, which may be
 * the very initializer a MatMulNBits reads (the tied head at 8 bits).
 *
 * GatherBlockQuantized reads the data `[N, kBlocks, blob]` with each block on the last axis; it wants its
 * scales and zero points shaped `[N, kBlocks, 1]`, and 4-bit zero points one per byte there, so those small
 * tensors (1/8 of the data at 4 bits, block 32) get their own copies.
 */
export function gatherBlockQuantized(g: GraphBuilder, ids: string, m: BlockQuantized, data: string, name: string): string {
  const scales = g.tensor({ name: `${name}.qscales`, dataType: DataType.FLOAT, dims: [m.N, m.kBlocks, 1], raw: bytesOf(m.scales) });
  const zeroPoints = m.zeroPoints
    ? g.tensor({ name: `${name}.qzeros`, dataType: DataType.UINT8, dims: [m.N, m.kBlocks, 1], raw: oneZeroPointPerByte(m) })
    : undefined;
  const blocks = g.op(
    'GatherBlockQuantized',
    [data, ids, scales, ...(zeroPoints ? [zeroPoints] : [])],
    { bits: { i: m.bits }, block_size: { i: m.blockSize }, gather_axis: { i: 0 }, quantize_axis: { i: 2 } },
    { name, domain: MS_DOMAIN },
  ); // [..., kBlocks, blockSize]
  const padded = m.kBlocks * m.blockSize;
  const rows = g.op('Reshape', [blocks, g.constInt64([0, 0, padded])]); // [B, T, kBlocks * blockSize]
  if (padded === m.K) return rows;
  return g.op('Slice', [rows, g.constInt64([0]), g.constInt64([m.K]), g.constInt64([2])]); // drop the last block's padding
}

function oneZeroPointPerByte(m: BlockQuantized): Uint8Array {
  if (!m.zeroPoints || m.bits === 8) return m.zeroPoints ?? new Uint8Array(0);
  const rowBytes = m.zeroPoints.length / m.N;
  const out = new Uint8Array(m.N * m.kBlocks);
  for (let n = 0; n < m.N; n++) {
    for (let b = 0; b < m.kBlocks; b++) {
      const byte = m.zeroPoints[n * rowBytes + (b >> 1)];
      out[n * m.kBlocks + b] = b % 2 === 0 ? byte & 0x0f : byte >> 4;
    }
  }
  return out;
}
