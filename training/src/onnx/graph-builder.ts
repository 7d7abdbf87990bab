/**
 * A small builder that keeps graph code readable: `g.op('MatMul', [x, w])` returns the output's name.
 * Names are generated (`MatMul_12`) unless given, so a model reads like its diagram.
 */
import {
  DataType,
  type AttributeValue,
  type Dim,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './onnx-proto.js';

export interface OpOptions {
  name?: string;
  domain?: string;
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  private counter = 0;

  constructor(readonly name: string) {}

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, elemType: DataType, shape: readonly Dim[]): string {
    this.inputs.push({ name, elemType, shape });
    return name;
  }

  output(name: string, elemType: DataType, shape: readonly Dim[]): void {
    this.outputs.push({ name, elemType, shape });
  }

  /** Adds a weight; `data`'s bytes are referenced, not copied. */
  initializer(name: string, data: Float32Array, dims: readonly number[]): string {
    this.initializers.push({ name, dataType: DataType.FLOAT, dims, raw: bytesOf(data) });
    return name;
  }

  /** Adds an already encoded tensor (for example one that lives in external data). */
  tensor(t: TensorProto): string {
    this.initializers.push(t);
    return t.name;
  }

  constInt64(values: readonly number[], dims: readonly number[] = [values.length], name?: string): string {
    const n = name ?? this.fresh('const_i64');
    this.initializers.push({ name: n, dataType: DataType.INT64, dims, raw: bytesOf(BigInt64Array.from(values, BigInt)) });
    return n;
  }

  constFloat(values: readonly number[] | number, dims?: readonly number[], name?: string): string {
    const arr = typeof values === 'number' ? [values] : values;
    const n = name ?? this.fresh('const_f32');
    this.initializers.push({ name: n, dataType: DataType.FLOAT, dims: dims ?? (typeof values === 'number' ? [] : [arr.length]), raw: bytesOf(Float32Array.from(arr)) });
    return n;
  }

  /** Adds a node with one output and returns that output's name (`output` names it, else it is generated). */
  op(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, options: OpOptions & { output?: string } = {}): string {
    const name = options.name ?? this.fresh(opType);
    const output = options.output ?? `${name}_out`;
    this.nodes.push({ opType, inputs, outputs: [output], name, domain: options.domain, attributes });
    return output;
  }

  /** Adds a node with several outputs: a count (names generated) or the names themselves. */
  ops(opType: string, inputs: readonly string[], outputs: number | readonly string[], attributes: Record<string, AttributeValue> = {}, options: OpOptions = {}): string[] {
    const name = options.name ?? this.fresh(opType);
    const names = typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => `${name}_out${i}`) : [...outputs];
    this.nodes.push({ opType, inputs, outputs: names, name, domain: options.domain, attributes });
    return names;
  }

  graph(): GraphProto {
    return { name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }

  model(opsetImports: ModelProto['opsetImports'] = [{ domain: '', version: 17 }], metadata?: Record<string, string>): ModelProto {
    return { graph: this.graph(), opsetImports, metadata };
  }
}

/** The bytes of a typed array, little-endian as ONNX's raw_data wants (this machine is little-endian). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
