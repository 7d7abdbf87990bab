/**
 * A minimal protobuf writer that produces a list of byte chunks instead of one buffer, so that hundreds of
 * megabytes of weights are written straight from their Float32Arrays without a second copy.
 */
export class Chunks {
  readonly parts: Uint8Array[] = [];
  length = 0;

  push(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.parts.push(bytes);
    this.length += bytes.byteLength;
  }

  append(other: Chunks): void {
    for (const p of other.parts) this.push(p);
  }

  /** One contiguous buffer; only for small messages and tests. */
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }
}

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

function encodeVarint(value: number | bigint): Uint8Array {
  // int64 fields: negative values are encoded as 10-byte two's complement.
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Uint8Array.from(bytes);
}

function tag(field: number, wire: number): Uint8Array {
  return encodeVarint((field << 3) | wire);
}

export function writeVarintField(out: Chunks, field: number, value: number | bigint): void {
  out.push(tag(field, WIRE_VARINT));
  out.push(encodeVarint(value));
}

export function writeFloatField(out: Chunks, field: number, value: number): void {
  out.push(tag(field, WIRE_FIXED32));
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, value, true);
  out.push(b);
}

export function writeBytesField(out: Chunks, field: number, value: Uint8Array | Chunks): void {
  out.push(tag(field, WIRE_LEN));
  if (value instanceof Chunks) {
    out.push(encodeVarint(value.length));
    out.append(value);
  } else {
    out.push(encodeVarint(value.byteLength));
    out.push(value);
  }
}

const utf8 = new TextEncoder();

export function writeStringField(out: Chunks, field: number, value: string): void {
  writeBytesField(out, field, utf8.encode(value));
}
