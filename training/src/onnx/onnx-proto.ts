/**
 * ONNX protobuf messages as plain objects, and their encoding (field numbers from onnx/onnx.proto, IR 8).
 * Only what building GPT-2 graphs needs: Model, Graph, Node, Attribute, Tensor (raw or external data), ValueInfo.
 */
import {
  Chunks,
  writeBytesField,
  writeFloatField,
  writeStringField,
  writeVarintField,
} from './protobuf-writer.js';

export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
} as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

export interface TensorProto {
  name: string;
  dataType: DataType;
  dims: readonly number[];
  /** Little-endian element bytes. */
  raw?: Uint8Array;
  /** Data stored beside the model file (for weights past protobuf's 2 GB limit). */
  external?: { location: string; offset: number; length: number };
}

export type AttributeValue =
  | { f: number }
  | { i: number }
  | { s: string }
  | { t: TensorProto }
  | { g: GraphProto }
  | { floats: readonly number[] }
  | { ints: readonly number[] };

export interface NodeProto {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  domain?: string;
  attributes?: Record<string, AttributeValue>;
}

/** A dimension is a fixed size or a symbolic name such as `batch_size`. */
export type Dim = number | string;

export interface ValueInfoProto {
  name: string;
  elemType: DataType;
  shape: readonly Dim[];
}

export interface GraphProto {
  name: string;
  nodes: readonly NodeProto[];
  initializers: readonly TensorProto[];
  inputs: readonly ValueInfoProto[];
  outputs: readonly ValueInfoProto[];
}

export interface ModelProto {
  graph: GraphProto;
  opsetImports: readonly { domain: string; version: number }[];
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  metadata?: Record<string, string>;
}

function encodeTensor(t: TensorProto): Chunks {
  const out = new Chunks();
  for (const d of t.dims) writeVarintField(out, 1, d);
  writeVarintField(out, 2, t.dataType);
  writeStringField(out, 8, t.name);
  if (t.raw) writeBytesField(out, 9, t.raw);
  if (t.external) {
    for (const [key, value] of [
      ['location', t.external.location],
      ['offset', String(t.external.offset)],
      ['length', String(t.external.length)],
    ]) {
      const entry = new Chunks();
      writeStringField(entry, 1, key);
      writeStringField(entry, 2, value);
      writeBytesField(out, 13, entry);
    }
    writeVarintField(out, 14, 1); // data_location = EXTERNAL
  }
  return out;
}

const ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_STRING = 3, ATTR_TENSOR = 4, ATTR_GRAPH = 5, ATTR_FLOATS = 6, ATTR_INTS = 7;

function encodeAttribute(name: string, value: AttributeValue): Chunks {
  const out = new Chunks();
  writeStringField(out, 1, name);
  if ('f' in value) {
    writeFloatField(out, 2, value.f);
    writeVarintField(out, 20, ATTR_FLOAT);
  } else if ('i' in value) {
    writeVarintField(out, 3, value.i);
    writeVarintField(out, 20, ATTR_INT);
  } else if ('s' in value) {
    writeStringField(out, 4, value.s);
    writeVarintField(out, 20, ATTR_STRING);
  } else if ('t' in value) {
    writeBytesField(out, 5, encodeTensor(value.t));
    writeVarintField(out, 20, ATTR_TENSOR);
  } else if ('g' in value) {
    writeBytesField(out, 6, encodeGraph(value.g));
    writeVarintField(out, 20, ATTR_GRAPH);
  } else if ('floats' in value) {
    for (const f of value.floats) writeFloatField(out, 7, f);
    writeVarintField(out, 20, ATTR_FLOATS);
  } else {
    for (const i of value.ints) writeVarintField(out, 8, i);
    writeVarintField(out, 20, ATTR_INTS);
  }
  return out;
}

function encodeNode(n: NodeProto): Chunks {
  const out = new Chunks();
  for (const i of n.inputs) writeStringField(out, 1, i);
  for (const o of n.outputs) writeStringField(out, 2, o);
  if (n.name) writeStringField(out, 3, n.name);
  writeStringField(out, 4, n.opType);
  for (const [name, value] of Object.entries(n.attributes ?? {})) writeBytesField(out, 5, encodeAttribute(name, value));
  if (n.domain) writeStringField(out, 7, n.domain);
  return out;
}

function encodeValueInfo(v: ValueInfoProto): Chunks {
  const shape = new Chunks();
  for (const d of v.shape) {
    const dim = new Chunks();
    if (typeof d === 'number') writeVarintField(dim, 1, d);
    else writeStringField(dim, 2, d);
    writeBytesField(shape, 1, dim);
  }
  const tensorType = new Chunks();
  writeVarintField(tensorType, 1, v.elemType);
  writeBytesField(tensorType, 2, shape);
  const type = new Chunks();
  writeBytesField(type, 1, tensorType);
  const out = new Chunks();
  writeStringField(out, 1, v.name);
  writeBytesField(out, 2, type);
  return out;
}

function encodeGraph(g: GraphProto): Chunks {
  const out = new Chunks();
  for (const n of g.nodes) writeBytesField(out, 1, encodeNode(n));
  writeStringField(out, 2, g.name);
  for (const t of g.initializers) writeBytesField(out, 5, encodeTensor(t));
  for (const v of g.inputs) writeBytesField(out, 11, encodeValueInfo(v));
  for (const v of g.outputs) writeBytesField(out, 12, encodeValueInfo(v));
  return out;
}

export function encodeModel(m: ModelProto): Chunks {
  const out = new Chunks();
  writeVarintField(out, 1, m.irVersion ?? 8);
  writeStringField(out, 2, m.producerName ?? 'mimicbot');
  if (m.producerVersion) writeStringField(out, 3, m.producerVersion);
  writeBytesField(out, 7, encodeGraph(m.graph));
  for (const op of m.opsetImports) {
    const entry = new Chunks();
    writeStringField(entry, 1, op.domain);
    writeVarintField(entry, 2, op.version);
    writeBytesField(out, 8, entry);
  }
  for (const [key, value] of Object.entries(m.metadata ?? {})) {
    const entry = new Chunks();
    writeStringField(entry, 1, key);
    writeStringField(entry, 2, value);
    writeBytesField(out, 14, entry);
  }
  return out;
}
