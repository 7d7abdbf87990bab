/**
 * Reads the float32 initializers (and the metadata) of an ONNX model file: the weights of a model folder,
 * for building other graphs from them (quantized ones). Weights in `raw_data` are viewed in place when
 * aligned; external data (`<model>.onnx_data`) is read only at the offsets the model names, only from
 * beside the model, and only within the data file's size.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { DataType } from './onnx-proto.js';
import { OnnxModelError } from './onnx-model-error.js';
import { ProtobufError, protoFields, protoString, repeatedVarints, WireType, type ProtoField } from './protobuf-reader.js';

export interface OnnxFloatTensor {
  dims: number[];
  data: Float32Array;
}

export interface OnnxWeights {
  /** Float32 initializers by name (others, such as int64 shape constants, are left out). */
  tensors: Map<string, OnnxFloatTensor>;
  /** The model's metadata_props. */
  metadata: Record<string, string>;
}

/** A protobuf message cannot be larger than this, so neither can a model file. */
const MAX_MODEL_BYTES = 2 ** 31;

interface RawTensor {
  name: string;
  dims: number[];
  dataType: number;
  raw?: Uint8Array;
  floatData: Uint8Array[];
  external: Record<string, string>;
}

/** An initializer's bytes as stored (float32 or uint8), for weights that are not plain floats (packed 4-bit blocks). */
export interface OnnxRawTensor {
  dims: number[];
  dataType: number;
  /** A view into the file's buffer when stored inline. */
  bytes: Uint8Array;
}

/** Bytes per element of the initializer types read here: float32 weights and uint8 packed blocks. */
const ELEMENT_BYTES: Readonly<Record<number, number>> = { [DataType.FLOAT]: 4, [DataType.UINT8]: 1 };

/** `names`: read only these initializers (all float ones when absent). */
export async function readOnnxWeights(path: string, names?: ReadonlySet<string>): Promise<OnnxWeights> {
  const raw = await readOnnxInitializers(path, (name, dataType) => dataType === DataType.FLOAT && (!names || names.has(name)));
  const tensors = new Map<string, OnnxFloatTensor>();
  for (const [name, t] of raw.tensors) tensors.set(name, { dims: t.dims, data: floatView(t.bytes) });
  return { tensors, metadata: raw.metadata };
}

/**
 * The initializers `accept` picks (float32 and uint8 only; others are skipped), as bytes, and the metadata.
 * The file is read whole, once, within the 2 GB a protobuf can be; external data only at the offsets named.
 */
export async function readOnnxInitializers(path: string, accept: (name: string, dataType: number) => boolean): Promise<{ tensors: Map<string, OnnxRawTensor>; metadata: Record<string, string> }> {
  const size = await stat(path).then((s) => s.size);
  if (size > MAX_MODEL_BYTES) throw new OnnxModelError('ONNX_UNREADABLE', path, `is ${size} bytes, more than an ONNX protobuf can hold`);
  const bytes = await readFile(path);
  const tensors = new Map<string, OnnxRawTensor>();
  const metadata: Record<string, string> = {};
  const external: { name: string; tensor: RawTensor }[] = [];
  try {
    for (const f of protoFields(bytes)) {
      if (f.field === 14 && f.wireType === WireType.LEN) Object.assign(metadata, stringEntry(f));
      if (f.field !== 7 || f.wireType !== WireType.LEN) continue; // ModelProto.graph
      for (const g of protoFields(f.bytes)) {
        if (g.field !== 5 || g.wireType !== WireType.LEN) continue; // GraphProto.initializer
        const t = parseTensor(g.bytes);
        if (ELEMENT_BYTES[t.dataType] === undefined || !accept(t.name, t.dataType)) continue;
        if (t.external.location !== undefined) external.push({ name: t.name, tensor: t });
        else tensors.set(t.name, { dims: t.dims, dataType: t.dataType, bytes: bytesOf(t, path) });
      }
    }
  } catch (cause) {
    if (!(cause instanceof ProtobufError)) throw cause;
    throw new OnnxModelError('ONNX_UNREADABLE', path, `not a readable ONNX model (${cause.message})`, { cause });
  }
  for (const { name, tensor } of external) tensors.set(name, { dims: tensor.dims, dataType: tensor.dataType, bytes: await readExternal(tensor, path) });
  return { tensors, metadata };
}

function parseTensor(bytes: Uint8Array): RawTensor {
  const t: RawTensor = { name: '', dims: [], dataType: 0, floatData: [], external: {} };
  for (const f of protoFields(bytes)) {
    if (f.field === 1) t.dims.push(...repeatedVarints(f));
    else if (f.field === 2) t.dataType = f.varint;
    else if (f.field === 4) t.floatData.push(f.bytes); // packed floats, or one fixed32
    else if (f.field === 8) t.name = protoString(f);
    else if (f.field === 9) t.raw = f.bytes;
    else if (f.field === 13) Object.assign(t.external, stringEntry(f));
  }
  return t;
}

function stringEntry(f: ProtoField): Record<string, string> {
  let key = '';
  let value = '';
  for (const e of protoFields(f.bytes)) {
    if (e.field === 1) key = protoString(e);
    else if (e.field === 2) value = protoString(e);
  }
  return { [key]: value };
}

function elementCount(t: RawTensor): number {
  return t.dims.reduce((a, b) => a * b, 1);
}

function bytesOf(t: RawTensor, path: string): Uint8Array {
  const byteLength = elementCount(t) * ELEMENT_BYTES[t.dataType];
  // float_data holds floats (packed, or one fixed32 each); uint8 would be in int32_data, which our writers never use.
  const source = t.raw ?? concat(t.floatData);
  if (source.byteLength !== byteLength) {
    throw new OnnxModelError('ONNX_BAD_TENSOR', path, `initializer "${t.name}" has ${source.byteLength} bytes of data, expected ${byteLength} for [${t.dims.join(', ')}]`);
  }
  return source;
}

/** Float32 over `bytes`: a view when aligned (the file's buffer stays alive while the weights do), a copy otherwise. */
export function floatView(bytes: Uint8Array): Float32Array {
  const count = bytes.byteLength / 4;
  return bytes.byteOffset % 4 === 0 ? new Float32Array(bytes.buffer, bytes.byteOffset, count) : new Float32Array(new Uint8Array(bytes).buffer); // (Buffer.slice would not copy)
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

async function readExternal(t: RawTensor, path: string): Promise<Uint8Array> {
  const { location = '', offset = '0', length } = t.external;
  const fail = (problem: string) => new OnnxModelError('ONNX_EXTERNAL_DATA', path, `initializer "${t.name}": ${problem}`);
  // Only a file beside the model (or below it): a location may not climb out of the model's folder.
  if (location === '' || isAbsolute(location) || normalize(location).split(sep).includes('..')) throw fail(`external data location ${JSON.stringify(location)} is not a file beside the model`);
  const byteLength = elementCount(t) * ELEMENT_BYTES[t.dataType];
  const start = Number(offset);
  if (!Number.isSafeInteger(start) || start < 0) throw fail(`bad external data offset ${JSON.stringify(offset)}`);
  if (length !== undefined && Number(length) !== byteLength) throw fail(`external data length ${length} does not match [${t.dims.join(', ')}]`);
  const file = join(dirname(path), location);
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (start + byteLength > size) throw fail(`external data ${location} has ${size} bytes; the tensor needs bytes ${start}..${start + byteLength}`);
    const target = new Uint8Array(byteLength);
    for (let done = 0; done < byteLength; ) {
      const { bytesRead } = await handle.read(target, done, Math.min(byteLength - done, 2 ** 30), start + done);
      if (bytesRead === 0) throw fail(`external data ${location} ended early`);
      done += bytesRead;
    }
    return target;
  } finally {
    await handle.close();
  }
}
