import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from './graph-builder.js';
import { DataType, encodeModel } from './onnx-proto.js';

describe('GraphBuilder + encoder', () => {
  it('writes a model that onnxruntime runs: y = x @ W + b, then ReLU', async () => {
    const g = new GraphBuilder('tiny');
    const x = g.input('x', DataType.FLOAT, ['batch', 2]);
    const w = g.initializer('w', Float32Array.from([1, -2, 3, 4]), [2, 2]);
    const b = g.constFloat([0.5, -100]);
    const y = g.op('Relu', [g.op('Add', [g.op('MatMul', [x, w]), b])], {}, { output: 'y' });
    g.output(y, DataType.FLOAT, ['batch', 2]);
    const bytes = encodeModel(g.model()).concat();
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 1, 2, 0]), [2, 2]) });
    // [1,1]@W = [4, 2] + b = [4.5, -98] -> relu [4.5, 0]; [2,0]@W = [2,-4] + b = [2.5, -104] -> [2.5, 0]
    expect(Array.from(out.y.data as Float32Array)).toEqual([4.5, 0, 2.5, 0]);
  });

  it('encodes int attributes, negative int64 constants and several outputs', async () => {
    const g = new GraphBuilder('split');
    const x = g.input('x', DataType.FLOAT, [4]);
    const [a, b] = g.ops('Split', [x, g.constInt64([1, 3])], ['a', 'b'], { axis: { i: -1 } });
    g.output(a, DataType.FLOAT, [1]);
    g.output(b, DataType.FLOAT, [3]);
    const session = await ort.InferenceSession.create(encodeModel(g.model([{ domain: '', version: 17 }])).concat());
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [4]) });
    expect(Array.from(out.a.data as Float32Array)).toEqual([1]);
    expect(Array.from(out.b.data as Float32Array)).toEqual([2, 3, 4]);
  });
});
