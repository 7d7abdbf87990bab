/**
 * What every layer builder shares: the graph being built, the run-time batch shape and a few cached
 * constants. B and T are symbolic (read from `input_ids` at run time), so one graph serves training
 * batches, validation batches and sampling of any length up to n_positions.
 *
 * Shape letters, as in llm.c: B batch, T time, C channels, V vocabulary, P positions, NH heads, hs head size.
 */
import type { GraphBuilder } from '../../onnx/graph-builder.js';

export interface GraphContext {
  g: GraphBuilder;
  /** int64 [2]: (B, T), from Shape(input_ids). */
  bt: string;
  /** int64 [1]: (T). */
  t: string;
  /** Cached int64 constants by value list, so a graph does not carry hundreds of identical initializers. */
  i64(values: readonly number[]): string;
  /** Cached float scalar constants. */
  f32(value: number): string;
}

export function createGraphContext(g: GraphBuilder, inputIds: string): GraphContext {
  const ints = new Map<string, string>();
  const floats = new Map<number, string>();
  const i64 = (values: readonly number[]): string => {
    const key = values.join(',');
    let name = ints.get(key);
    if (!name) ints.set(key, (name = g.constInt64(values)));
    return name;
  };
  const f32 = (value: number): string => {
    let name = floats.get(value);
    if (!name) floats.set(value, (name = g.constFloat(value)));
    return name;
  };
  const bt = g.op('Shape', [inputIds], {}, { output: 'shape_bt' });
  const t = g.op('Slice', [bt, i64([1]), i64([2])], {}, { output: 'shape_t' });
  return { g, bt, t, i64, f32 };
}

/** Reshape `x` to (B, T, ...rest). */
export function reshapeBT(ctx: GraphContext, x: string, rest: readonly number[]): string {
  const shape = ctx.g.op('Concat', [ctx.bt, ctx.i64(rest)], { axis: { i: 0 } });
  return ctx.g.op('Reshape', [x, shape]);
}

/** Reshape `x` to (rows, cols) with rows inferred. */
export function reshape2d(ctx: GraphContext, x: string, cols: number): string {
  return ctx.g.op('Reshape', [x, ctx.i64([-1, cols])]);
}

/** Sum over `axes`, keeping (1) or dropping (0) them. */
export function reduceSum(ctx: GraphContext, x: string, axes: readonly number[], keepdims: 0 | 1): string {
  return ctx.g.op('ReduceSum', [x, ctx.i64(axes)], { keepdims: { i: keepdims } });
}
