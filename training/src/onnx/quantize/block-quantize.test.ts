import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../model/random.js';
import { GraphBuilder } from '../graph-builder.js';
import { DataType, encodeModel } from '../onnx-proto.js';
import { checkBlockQuantOptions, dequantizeRows, quantizeConv1D, quantizeRows, type BlockQuantOptions } from './block-quantize.js';
import { addQuantizedTensors, matMulNBits, MS_DOMAIN } from './matmul-nbits.js';

function normals(n: number, seed: number): Float32Array {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => r.nextNormal());
}

/** x [M, K] times the dequantized weight [N, K] transposed, in double precision: the plain reference. */
function referenceMatMul(x: Float32Array, M: number, w: Float32Array, N: number, K: number): Float64Array {
  const y = new Float64Array(M * N);
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) y[m * N + n] += x[m * K + k] * w[n * K + k];
  return y;
}

/** y = MatMulNBits(x, w) from a one-node graph on onnxruntime. */
async function runMatMulNBits(x: Float32Array, M: number, w: Float32Array, N: number, K: number, options: BlockQuantOptions, accuracyLevel: number) {
  const q = quantizeRows(w, N, K, options);
  const g = new GraphBuilder('matmul_nbits');
  const input = g.input('x', DataType.FLOAT, [M, K]);
  matMulNBits(g, input, q, addQuantizedTensors(g, 'w', q), { name: 'mm', output: 'y', accuracyLevel });
  g.output('y', DataType.FLOAT, [M, N]);
  const session = await ort.InferenceSession.create(encodeModel(g.model([{ domain: '', version: 17 }, { domain: MS_DOMAIN, version: 1 }])).concat());
  const y = (await session.run({ x: new ort.Tensor('float32', x, [M, K]) })).y.data as Float32Array;
  await session.release();
  return { q, y, reference: referenceMatMul(x, M, dequantizeRows(q), N, K) };
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// K not a multiple of the block in most cases: the last block is padded.
const CASES: { bits: 4 | 8; symmetric: boolean; K: number; N: number; blockSize: number }[] = [
  { bits: 4, symmetric: true, K: 64, N: 5, blockSize: 32 },
  { bits: 4, symmetric: true, K: 70, N: 7, blockSize: 32 },
  { bits: 4, symmetric: false, K: 70, N: 7, blockSize: 32 },
  { bits: 4, symmetric: false, K: 100, N: 3, blockSize: 128 },
  { bits: 8, symmetric: true, K: 70, N: 5, blockSize: 16 },
  { bits: 8, symmetric: false, K: 100, N: 7, blockSize: 64 },
  { bits: 4, symmetric: true, K: 17, N: 9, blockSize: 16 },
];

describe('block quantization in MatMulNBits layout', () => {
  it.each(CASES)('onnxruntime multiplies by exactly the weights we dequantize ($bits-bit, symmetric $symmetric, K $K, block $blockSize)', async ({ bits, symmetric, K, N, blockSize }) => {
    const M = 3;
    const { y, reference } = await runMatMulNBits(normals(M * K, 1), M, normals(N * K, 2), N, K, { bits, symmetric, blockSize }, 0);
    expect(maxDiff(y, reference)).toBeLessThan(1e-4);
  });

  it.each(CASES)('at accuracy_level 4 (int8 activations, what the graphs use) it stays within 2% ($bits-bit, K $K)', async ({ bits, symmetric, K, N, blockSize }) => {
    const M = 3;
    const { y, reference } = await runMatMulNBits(normals(M * K, 3), M, normals(N * K, 4), N, K, { bits, symmetric, blockSize }, 4);
    expect(maxDiff(y, reference)).toBeLessThan(0.02 * maxAbs(reference));
  });

  it.each([4, 8] as const)('dequantized %i-bit weights are within half a step of the originals (asymmetric)', (bits) => {
    const w = normals(9 * 70, 5);
    const q = quantizeRows(w, 9, 70, { bits, symmetric: false, blockSize: 32 });
    const back = dequantizeRows(q);
    for (let i = 0; i < w.length; i++) {
      const scale = q.scales[Math.floor(i / 70) * q.kBlocks + Math.floor((i % 70) / 32)];
      expect(Math.abs(back[i] - w[i])).toBeLessThanOrEqual(scale / 2 + 1e-6);
    }
    expect(maxDiff(back, w)).toBeGreaterThan(0); // it did quantize
  });

  it('symmetric: no zero points, and the largest-magnitude value of each block comes back exactly', () => {
    const w = Float32Array.from([0.5, -2, 1, 0.25, ...Array<number>(12).fill(0.1), 3, -1, ...Array<number>(14).fill(0)]);
    const q = quantizeRows(w, 1, 32, { bits: 4, symmetric: true, blockSize: 16 });
    expect(q.zeroPoints).toBeUndefined();
    expect(Array.from(q.scales)).toEqual([2 / 8, -3 / 8]); // -2 -> level 0 of block 0; 3 -> level 0 of block 1
    const back = dequantizeRows(q);
    expect(back[1]).toBe(-2);
    expect(back[16]).toBe(3);
  });

  it('packs two 4-bit values a byte, even k in the low nibble, zero points the same way', () => {
    // One row, two blocks of 16. Asymmetric over [0, 15] gives scale 1 and zero point 0: q = w.
    const w = Float32Array.from({ length: 32 }, (_, k) => (k < 16 ? k : 15 - (k - 16)));
    const q = quantizeRows(w, 1, 32, { bits: 4, symmetric: false, blockSize: 16 });
    expect(Array.from(q.scales)).toEqual([1, 1]);
    expect(q.data[0]).toBe(0x10); // k=0 -> 0 (low), k=1 -> 1 (high)
    expect(q.data[7]).toBe(0xfe); // k=14 -> 14, k=15 -> 15
    expect(q.data[8]).toBe(0xef); // k=16 -> 15, k=17 -> 14
    expect(Array.from(q.zeroPoints ?? [])).toEqual([0x00]);
  });

  it('pads the last block with the zero point, so padding dequantizes to 0', () => {
    const q = quantizeRows(Float32Array.from([1, -1, 2]), 1, 3, { bits: 8, symmetric: false, blockSize: 16 });
    const zp = q.zeroPoints?.[0];
    expect(Array.from(q.data.subarray(3))).toEqual(Array<number>(13).fill(zp ?? -1));
  });

  it('transposes a Conv1D weight [in, out] into one row per output feature', () => {
    const K = 32;
    const N = 3;
    const conv = normals(K * N, 6); // [K, N]
    const rows = dequantizeRows(quantizeConv1D(conv, K, N, { bits: 8, symmetric: true, blockSize: 32 })); // [N, K]
    for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) expect(Math.abs(rows[n * K + k] - conv[k * N + n])).toBeLessThan(0.05);
  });

  it('refuses block sizes onnxruntime does not take, and bit widths other than 4 and 8', () => {
    expect(() => checkBlockQuantOptions({ bits: 4, symmetric: true, blockSize: 24 })).toThrow(/power of two >= 16/);
    expect(() => checkBlockQuantOptions({ bits: 4, symmetric: true, blockSize: 8 })).toThrow(/power of two >= 16/);
    expect(() => checkBlockQuantOptions({ bits: 3 as 4, symmetric: true, blockSize: 32 })).toThrow(/4 or 8/);
  });
});
