/**
 * safetensors dtypes: their sizes (to check byte counts for every tensor in a header) and the conversion
 * of the half-precision ones to float32.
 */

/** Bytes per element of each dtype the safetensors format defines. */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** The dtypes we read (as float32). */
export type FloatDtype = 'F32' | 'F16' | 'BF16';

export function isFloatDtype(dtype: string): dtype is FloatDtype {
  return dtype === 'F32' || dtype === 'F16' || dtype === 'BF16';
}

/** bfloat16 is the top half of a float32: shift the 16 bits up and reinterpret. */
export function bf16ToF32(src: Uint16Array, dst: Float32Array): void {
  const out = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] << 16;
}

let f16Table: Float32Array | undefined;

/** IEEE half precision to float32, exact, through a 65,536-entry table (256 KB, built once). */
export function f16ToF32(src: Uint16Array, dst: Float32Array): void {
  const table = (f16Table ??= buildF16Table());
  for (let i = 0; i < src.length; i++) dst[i] = table[src[i]];
}

function buildF16Table(): Float32Array {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) table[h] = sign * mantissa * 2 ** -24; // subnormal: 0.m × 2^-14
    else if (exponent === 31) table[h] = mantissa ? NaN : sign * Infinity;
    else table[h] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return table;
}
