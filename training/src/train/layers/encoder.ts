/**
 * Token + position embedding (llm.c `encoder_forward` / `encoder_backward`).
 * out[b,t,:] = wte[inp[b,t],:] + wpe[t,:], returned flattened to (B*T, C): the residual stream stays 2-D
 * so every matmul is a plain Gemm; only attention reshapes to heads.
 */
import { reduceSum, reshape2d, type GraphContext } from './graph-context.js';

/** inp: int64 (B, T); wte (V, C); wpe (P, C). Returns out (B*T, C). */
export function encoderForward(ctx: GraphContext, inp: string, wte: string, wpe: string, C: number): string {
  const { g } = ctx;
  const tok = g.op('Gather', [wte, inp], { axis: { i: 0 } }); // (B, T, C)
  const pos = g.op('Slice', [wpe, ctx.i64([0]), ctx.t, ctx.i64([0])]); // (T, C)
  return reshape2d(ctx, g.op('Add', [tok, pos]), C);
}

/**
 * dout (B*T, C) -> dwte (V, C), dwpe (P, C). As llm.c's `dwte[ix] += dout[b,t]`, the rows are added onto
 * `dwteIn`, the wte gradient accumulated so far (the tied head's), with ScatterND reduction=add: no
 * zero (V, C) tensor and no extra sum over it, which at GPT-2's vocabulary is 154 MB a step.
 */
export function encoderBackward(
  ctx: GraphContext,
  dwteIn: string,
  dout: string,
  inp: string,
  wte: string,
  wpe: string,
  C: number,
  P: number,
): { dwte: string; dwpe: string } {
  const { g } = ctx;
  void wte; // same argument order as the forward; dwteIn carries the shape
  void wpe; // the shape comes from P
  const indices = g.op('Unsqueeze', [inp, ctx.i64([-1])]); // (B, T, 1)
  const dout3 = g.op('Reshape', [dout, g.op('Concat', [ctx.bt, ctx.i64([C])], { axis: { i: 0 } })]); // (B, T, C)
  const dwte = g.op('ScatterND', [dwteIn, indices, dout3], { reduction: { s: 'add' } });
  // wpe rows 0..T-1 get the batch sum; rows T..P-1 get zero (pad at the end of axis 0).
  const dpos = reduceSum(ctx, dout3, [0], 0); // (T, C)
  const padRows = g.op('Sub', [ctx.i64([P]), ctx.t]);
  const pads = g.op('Concat', [ctx.i64([0, 0]), padRows, ctx.i64([0])], { axis: { i: 0 } });
  return { dwte, dwpe: g.op('Pad', [dpos, pads]) };
}
