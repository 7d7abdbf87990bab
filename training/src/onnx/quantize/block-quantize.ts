/**
 * Weight-only block quantization in the layout of onnxruntime's `com.microsoft.MatMulNBits`: a weight
 * `[N, K]` (row n holds output feature n's K input weights) is cut along K into blocks of `blockSize`, and
 * each block is stored as `bits`-bit integers q with one float scale (and, asymmetric, one zero point z):
 * w ≈ (q - z) * scale. The last block of a row is padded with z (a dequantized 0) when K is not a multiple
 * of the block. Packing, as the op reads it: B `[N, kBlocks, blockSize * bits / 8]` uint8, 4-bit values two
 * per byte with the even k in the low nibble; scales `[N, kBlocks]`; zero points `[N, ceil(kBlocks * bits / 8)]`
 * packed the same way, or absent, when the op assumes z = 2^(bits-1) (symmetric).
 *
 * Scales follow onnxruntime's own quantizer (MLAS `range2scale` / `range2scalezp`), so our files quantize
 * a weight the way `matmul_nbits_quantizer.py` would:
 * - symmetric: scale = (the block's value of largest magnitude) / -2^(bits-1), so that value lands exactly on
 *   the one extra negative level (-8 of -8..7) and the range is used in full;
 * - asymmetric: the range [min(min, 0), max(max, 0)] spread over 0..2^bits-1, z = round(-min / scale).
 */
export type QuantBits = 4 | 8;

export interface BlockQuantOptions {
  bits: QuantBits;
  /** Weights per block along K: a power of two, at least 16 (onnxruntime's rule). */
  blockSize: number;
  /** No zero points (z = 2^(bits-1)); otherwise a zero point per block. */
  symmetric: boolean;
}

/** A `[N, K]` matrix quantized per block along K, as MatMulNBits takes it. */
export interface BlockQuantized {
  N: number;
  K: number;
  bits: QuantBits;
  blockSize: number;
  /** ceil(K / blockSize) */
  kBlocks: number;
  /** `[N, kBlocks, blockSize * bits / 8]` */
  data: Uint8Array;
  /** `[N, kBlocks]` */
  scales: Float32Array;
  /** `[N, ceil(kBlocks * bits / 8)]`; absent when symmetric. */
  zeroPoints?: Uint8Array;
}

export const BLOCK_SIZES = [16, 32, 64, 128] as const;

export function checkBlockQuantOptions(options: BlockQuantOptions): void {
  if (options.bits !== 4 && options.bits !== 8) throw new Error(`bits must be 4 or 8, got ${String(options.bits)}`);
  const b = options.blockSize;
  if (!Number.isInteger(b) || b < 16 || (b & (b - 1)) !== 0) throw new Error(`block size must be a power of two >= 16, got ${b}`);
}

/** Quantizes `w` `[N, K]` (row-major, one row per output feature). */
export function quantizeRows(w: Float32Array, N: number, K: number, options: BlockQuantOptions): BlockQuantized {
  checkBlockQuantOptions(options);
  if (w.length !== N * K) throw new Error(`weight has ${w.length} values, expected [${N}, ${K}]`);
  const { bits, blockSize, symmetric } = options;
  const kBlocks = Math.ceil(K / blockSize);
  const blob = (blockSize * bits) / 8;
  const levels = (1 << bits) - 1; // 15 or 255
  const mid = 1 << (bits - 1); // 8 or 128: the implicit zero point
  const zpRowBytes = Math.ceil((kBlocks * bits) / 8);
  const data = new Uint8Array(N * kBlocks * blob);
  const scales = new Float32Array(N * kBlocks);
  const zeroPoints = symmetric ? undefined : new Uint8Array(N * zpRowBytes);
  const q = new Uint8Array(blockSize);

  for (let n = 0; n < N; n++) {
    for (let blk = 0; blk < kBlocks; blk++) {
      const from = n * K + blk * blockSize;
      const count = Math.min(blockSize, K - blk * blockSize);
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < count; i++) {
        const v = w[from + i];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      let scale: number;
      let zp: number;
      if (symmetric) {
        scale = Math.fround((Math.abs(max) > Math.abs(min) ? max : min) / -mid);
        zp = mid;
      } else {
        min = Math.min(min, 0);
        max = Math.max(max, 0);
        scale = Math.fround((max - min) / levels);
        zp = scale === 0 ? mid : Math.min(levels, Math.max(0, Math.round(-min / scale)));
      }
      const inverse = scale === 0 ? 0 : 1 / scale;
      q.fill(zp);
      for (let i = 0; i < count; i++) q[i] = Math.min(levels, Math.max(0, Math.round(w[from + i] * inverse) + zp));
      scales[n * kBlocks + blk] = scale;
      packInto(data, (n * kBlocks + blk) * blob, q, bits);
      if (zeroPoints) setPacked(zeroPoints, n * zpRowBytes, blk, zp, bits);
    }
  }
  return { N, K, bits, blockSize, kBlocks, data, scales, zeroPoints };
}

/**
 * Quantizes a GPT-2 Conv1D weight, stored `[in = K, out = N]` (y = x @ W): MatMulNBits wants one row per
 * output feature, so it is transposed first.
 */
export function quantizeConv1D(w: Float32Array, K: number, N: number, options: BlockQuantOptions): BlockQuantized {
  if (w.length !== K * N) throw new Error(`weight has ${w.length} values, expected [${K}, ${N}]`);
  const t = new Float32Array(N * K);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) t[n * K + k] = w[k * N + n];
  return quantizeRows(t, N, K, options);
}

/** The weights the quantized matrix stands for, `[N, K]`: (q - z) * scale. */
export function dequantizeRows(m: BlockQuantized): Float32Array {
  const { N, K, bits, blockSize, kBlocks } = m;
  const blob = (blockSize * bits) / 8;
  const zpRowBytes = Math.ceil((kBlocks * bits) / 8);
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let blk = 0; blk < kBlocks; blk++) {
      const scale = m.scales[n * kBlocks + blk];
      const zp = m.zeroPoints ? getPacked(m.zeroPoints, n * zpRowBytes, blk, bits) : 1 << (bits - 1);
      const base = (n * kBlocks + blk) * blob;
      const count = Math.min(blockSize, K - blk * blockSize);
      for (let i = 0; i < count; i++) out[n * K + blk * blockSize + i] = (getPacked(m.data, base, i, bits) - zp) * scale;
    }
  }
  return out;
}

/** Bytes the quantized matrix takes (B, scales, zero points): what it costs in a file and in memory. */
export function quantizedBytes(m: BlockQuantized): number {
  return m.data.byteLength + m.scales.byteLength + (m.zeroPoints?.byteLength ?? 0);
}

function packInto(out: Uint8Array, at: number, values: Uint8Array, bits: QuantBits): void {
  if (bits === 8) {
    out.set(values, at);
    return;
  }
  for (let i = 0; i < values.length; i += 2) out[at + (i >> 1)] = values[i] | (values[i + 1] << 4);
}

function setPacked(out: Uint8Array, rowAt: number, index: number, value: number, bits: QuantBits): void {
  if (bits === 8) out[rowAt + index] = value;
  else if (index % 2 === 0) out[rowAt + (index >> 1)] = (out[rowAt + (index >> 1)] & 0xf0) | value;
  else out[rowAt + (index >> 1)] = (out[rowAt + (index >> 1)] & 0x0f) | (value << 4);
}

function getPacked(bytes: Uint8Array, rowAt: number, index: number, bits: QuantBits): number {
  if (bits === 8) return bytes[rowAt + index];
  const byte = bytes[rowAt + (index >> 1)];
  return index % 2 === 0 ? byte & 0x0f : byte >> 4;
}
