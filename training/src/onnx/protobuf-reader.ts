/**
 * The reading half of `protobuf-writer.ts`: walks the fields of one protobuf message in a byte range,
 * without copying. Every length is checked against the range, so a truncated or corrupt file fails with
 * a `ProtobufError` instead of reading past the message.
 */
export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
}

export const WireType = { VARINT: 0, FIXED64: 1, LEN: 2, FIXED32: 5 } as const;

export interface ProtoField {
  field: number;
  wireType: number;
  /** The value of a varint field (int64 values past 2^53 lose precision; ONNX sizes never get there). */
  varint: number;
  /** The payload of a length-delimited or fixed-width field (a view into the message's bytes). */
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** The varint at `at`, and where the next field starts. */
function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (at >= bytes.length) throw new ProtobufError('truncated varint');
    const b = bytes[at++];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return [value, at];
    scale *= 128;
  }
  throw new ProtobufError('varint longer than 10 bytes');
}

export function* protoFields(bytes: Uint8Array): Generator<ProtoField> {
  let at = 0;
  while (at < bytes.length) {
    let key: number;
    [key, at] = readVarint(bytes, at);
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new ProtobufError('field number 0');
    if (wireType === WireType.VARINT) {
      let value: number;
      [value, at] = readVarint(bytes, at);
      yield { field, wireType, varint: value, bytes: EMPTY };
      continue;
    }
    let length: number;
    if (wireType === WireType.LEN) [length, at] = readVarint(bytes, at);
    else if (wireType === WireType.FIXED32) length = 4;
    else if (wireType === WireType.FIXED64) length = 8;
    else throw new ProtobufError(`unsupported wire type ${wireType} (field ${field})`);
    if (length > bytes.length - at) throw new ProtobufError(`field ${field} claims ${length} bytes, ${bytes.length - at} remain`);
    yield { field, wireType, varint: 0, bytes: bytes.subarray(at, at + length) };
    at += length;
  }
}

/** The values of a repeated varint field as one occurrence holds them: packed (LEN) or one VARINT. */
export function repeatedVarints(f: ProtoField): number[] {
  if (f.wireType === WireType.VARINT) return [f.varint];
  if (f.wireType !== WireType.LEN) throw new ProtobufError(`field ${f.field} is not a varint`);
  const out: number[] = [];
  for (let at = 0; at < f.bytes.length; ) {
    let value: number;
    [value, at] = readVarint(f.bytes, at);
    out.push(value);
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function protoString(f: ProtoField): string {
  if (f.wireType !== WireType.LEN) throw new ProtobufError(`field ${f.field} is not a string`);
  return utf8.decode(f.bytes);
}
