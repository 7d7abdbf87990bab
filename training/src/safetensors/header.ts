import { SafetensorsError } from '../errors.js';
import { DTYPE_BYTES } from './dtypes.js';

/**
 * The safetensors layout: an 8-byte little-endian header length N, N bytes of JSON, then the data. The JSON
 * maps each tensor name to `{dtype, shape, data_offsets: [begin, end]}`, offsets relative to the data start,
 * plus an optional `__metadata__` of strings. Tensors tile the data section exactly: sorted by offset,
 * each begins where the previous ends and the last ends at the end of the file (as the reference reader
 * checks).
 */

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** absolute position in the file */
  fileOffset: number;
  byteLength: number;
}

export interface SafetensorsHeader {
  tensors: Map<string, TensorInfo>;
  metadata: Record<string, string>;
  /** 8 + N: where the data section starts */
  dataStart: number;
}

/** The reference implementation refuses headers above 100 MB; so do we, before allocating. */
export const MAX_HEADER_BYTES = 100_000_000;

/** Reads N from the first 8 bytes and checks that the header fits in the file. */
export function parseHeaderLength(file: string, prefix: Uint8Array, fileSize: number): number {
  if (fileSize < 8) {
    throw new SafetensorsError('SAFETENSORS_TRUNCATED', file, `truncated: ${fileSize} bytes, too short to hold the 8-byte header length`);
  }
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError('SAFETENSORS_BAD_HEADER', file, `corrupt header length ${n} (over ${MAX_HEADER_BYTES} bytes): not a safetensors file?`);
  }
  if (n < 2n) {
    throw new SafetensorsError('SAFETENSORS_BAD_HEADER', file, `corrupt header length ${n}: too short for a JSON object`);
  }
  if (n > BigInt(fileSize - 8)) {
    throw new SafetensorsError(
      'SAFETENSORS_TRUNCATED',
      file,
      `truncated: the header length says ${n} bytes but only ${fileSize - 8} follow it`,
    );
  }
  return Number(n);
}

/** Parses and validates the JSON header against the file size; every later read is then in bounds. */
export function parseHeader(file: string, json: Uint8Array, fileSize: number): SafetensorsHeader {
  const dataStart = 8 + json.length;
  const bad = (problem: string) => new SafetensorsError('SAFETENSORS_BAD_HEADER', file, problem);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (cause) {
    throw new SafetensorsError('SAFETENSORS_BAD_HEADER', file, `corrupt header: not valid JSON (${(cause as Error).message})`, {
      cause,
    });
  }
  if (!isPlainObject(parsed)) throw bad('corrupt header: the JSON is not an object');

  let metadata: Record<string, string> = {};
  const tensors: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(parsed)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(entry, bad);
      continue;
    }
    tensors.push(parseEntry(file, name, entry, dataStart));
  }

  checkTiling(file, tensors, dataStart, fileSize);
  return { tensors: new Map(tensors.map((t) => [t.name, t])), metadata, dataStart };
}

function parseEntry(file: string, name: string, entry: unknown, dataStart: number): TensorInfo {
  const bad = (problem: string) => new SafetensorsError('SAFETENSORS_BAD_HEADER', file, `tensor "${name}": ${problem}`);
  if (!isPlainObject(entry)) throw bad('entry is not an object');
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string') throw bad('missing "dtype"');
  const size = DTYPE_BYTES[dtype];
  if (size === undefined) {
    throw new SafetensorsError('SAFETENSORS_BAD_DTYPE', file, `tensor "${name}": unknown dtype ${JSON.stringify(dtype)}`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) throw bad('"shape" is not a list of non-negative integers');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw bad('"data_offsets" is not a pair of non-negative integers');
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) {
    throw new SafetensorsError('SAFETENSORS_BAD_OFFSETS', file, `tensor "${name}": data_offsets [${begin}, ${end}] end before they begin`);
  }
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  if (elements * size !== end - begin) {
    throw new SafetensorsError(
      'SAFETENSORS_BAD_TENSOR',
      file,
      `tensor "${name}": ${dtype} [${shape.join(', ')}] needs ${elements * size} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], fileOffset: dataStart + begin, byteLength: end - begin };
}

function checkTiling(file: string, tensors: TensorInfo[], dataStart: number, fileSize: number): void {
  const sorted = [...tensors].sort((a, b) => a.fileOffset - b.fileOffset || a.byteLength - b.byteLength);
  let expected = dataStart;
  let previous: TensorInfo | undefined;
  for (const t of sorted) {
    if (t.fileOffset < expected) {
      throw new SafetensorsError('SAFETENSORS_BAD_OFFSETS', file, `tensors "${previous?.name}" and "${t.name}" overlap`);
    }
    if (t.fileOffset > expected) {
      throw new SafetensorsError(
        'SAFETENSORS_BAD_OFFSETS',
        file,
        `gap of ${t.fileOffset - expected} bytes before tensor "${t.name}" (data_offsets must tile the data)`,
      );
    }
    expected = t.fileOffset + t.byteLength;
    previous = t;
    if (expected > fileSize) {
      throw new SafetensorsError(
        'SAFETENSORS_TRUNCATED',
        file,
        `truncated: tensor "${t.name}" ends at byte ${expected} but the file has ${fileSize} bytes`,
      );
    }
  }
  if (expected !== fileSize) {
    throw new SafetensorsError(
      'SAFETENSORS_BAD_OFFSETS',
      file,
      `${fileSize - expected} bytes after the last tensor that no tensor claims`,
    );
  }
}

function parseMetadata(entry: unknown, bad: (problem: string) => Error): Record<string, string> {
  if (!isPlainObject(entry) || !Object.values(entry).every((v) => typeof v === 'string')) {
    throw bad('"__metadata__" is not an object of strings');
  }
  return entry as Record<string, string>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** The header bytes for tensors laid out in the given order, padded with spaces to a multiple of 8. */
export function encodeHeader(
  entries: { name: string; dtype: string; shape: readonly number[]; byteLength: number }[],
  metadata?: Record<string, string>,
): Uint8Array {
  const json: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) json.__metadata__ = metadata;
  let offset = 0;
  for (const e of entries) {
    json[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.byteLength] };
    offset += e.byteLength;
  }
  let text = JSON.stringify(json);
  // Aligning the data start to 8 bytes lets readers view tensors in place (the reference writer pads too).
  text += ' '.repeat((8 - ((Buffer.byteLength(text) + 8) % 8)) % 8);
  const body = Buffer.from(text, 'utf8');
  const out = Buffer.alloc(8 + body.length);
  out.writeBigUInt64LE(BigInt(body.length), 0);
  body.copy(out, 8);
  return out;
}
