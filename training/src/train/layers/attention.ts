/**
 * Causal multi-head self-attention (llm.c `attention_forward` / `attention_backward`), batched as
 * matmuls over (B, NH) instead of llm.c's loops:
 *   preatt = q k^T / sqrt(hs), masked above the diagonal;  att = softmax(preatt);  out = att v
 */
import { DataType } from '../../onnx/onnx-proto.js';
import { reduceSum, reshapeBT, reshape2d, type GraphContext } from './graph-context.js';

export interface AttentionCache {
  q: string; // (B, NH, T, hs)
  k: string; // (B, NH, T, hs)
  v: string; // (B, NH, T, hs)
  att: string; // (B, NH, T, T), post-softmax
}

/** (B*T, C) -> (B, NH, T, hs). */
function toHeads(ctx: GraphContext, x: string, NH: number, hs: number): string {
  return ctx.g.op('Transpose', [reshapeBT(ctx, x, [NH, hs])], { perm: { ints: [0, 2, 1, 3] } });
}

/** (B, NH, T, hs) -> (B*T, C). */
function fromHeads(ctx: GraphContext, x: string, C: number): string {
  return reshape2d(ctx, ctx.g.op('Transpose', [x], { perm: { ints: [0, 2, 1, 3] } }), C);
}

function transposeLast2(ctx: GraphContext, x: string): string {
  return ctx.g.op('Transpose', [x], { perm: { ints: [0, 1, 3, 2] } });
}

/**
 * True on and below the diagonal, (T, T) bool: the top-left corner of one (P, P) constant, built once
 * for all layers, so any T up to P works with no per-run mask construction.
 */
export function causalMask(ctx: GraphContext, P: number): string {
  const mask = new Uint8Array(P * P);
  for (let i = 0; i < P; i++) mask.fill(1, i * P, i * P + i + 1);
  const all = ctx.g.tensor({ name: 'causal_mask', dataType: DataType.BOOL, dims: [P, P], raw: mask });
  return ctx.g.op('Slice', [all, ctx.i64([0, 0]), ctx.g.op('Concat', [ctx.t, ctx.t], { axis: { i: 0 } }), ctx.i64([0, 1])]);
}

/** inp = qkv (B*T, 3C), mask from `causalMask` (shared by all layers) -> out (B*T, C) and the cache. */
export function attentionForward(ctx: GraphContext, inp: string, C: number, NH: number, mask: string): { out: string } & AttentionCache {
  const { g } = ctx;
  const hs = C / NH;
  const [q2, k2, v2] = g.ops('Split', [inp, ctx.i64([C, C, C])], 3, { axis: { i: 1 } });
  const q = toHeads(ctx, q2, NH, hs);
  const k = toHeads(ctx, k2, NH, hs);
  const v = toHeads(ctx, v2, NH, hs);
  const preatt = g.op('Mul', [g.op('MatMul', [q, transposeLast2(ctx, k)]), ctx.f32(1 / Math.sqrt(hs))]);
  const masked = g.op('Where', [mask, preatt, ctx.f32(-Infinity)]);
  const att = g.op('Softmax', [masked], { axis: { i: -1 } });
  const out = fromHeads(ctx, g.op('MatMul', [att, v]), C);
  return { out, q, k, v, att };
}

/**
 * dout (B*T, C) -> dinp = dqkv (B*T, 3C):
 *   datt = dout v^T, dv = att^T dout;  dpreatt = att * (datt - rowsum(datt * att)) (softmax backward;
 *   masked entries have att = 0 so they get no gradient);  dq = dpreatt k / sqrt(hs), dk = dpreatt^T q / sqrt(hs)
 */
export function attentionBackward(ctx: GraphContext, dout: string, inp: string, C: number, NH: number, cache: AttentionCache): string {
  const { g } = ctx;
  const hs = C / NH;
  void inp; // q, k, v come from the cache, already split into heads
  const dy = toHeads(ctx, dout, NH, hs);
  const datt = g.op('MatMul', [dy, transposeLast2(ctx, cache.v)]);
  const dv = g.op('MatMul', [transposeLast2(ctx, cache.att), dy]);
  const rowDot = reduceSum(ctx, g.op('Mul', [datt, cache.att]), [-1], 1);
  const dpreatt = g.op('Mul', [g.op('Mul', [cache.att, g.op('Sub', [datt, rowDot])]), ctx.f32(1 / Math.sqrt(hs))]);
  const dq = g.op('MatMul', [dpreatt, cache.k]);
  const dk = g.op('MatMul', [transposeLast2(ctx, dpreatt), cache.q]);
  return g.op('Concat', [fromHeads(ctx, dq, C), fromHeads(ctx, dk, C), fromHeads(ctx, dv, C)], { axis: { i: 1 } });
}
