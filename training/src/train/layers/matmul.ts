/**
 * A linear layer in GPT-2's Conv1D layout (llm.c `matmul_forward` / `matmul_backward`, with the weight
 * stored (C, OC) instead of llm.c's (OC, C)): out = inp @ weight + bias on 2-D (N, C) activations.
 */
import { reduceSum, type GraphContext } from './graph-context.js';

/** inp (N, C), weight (C, OC), bias (OC) -> out (N, OC). */
export function matmulForward(ctx: GraphContext, inp: string, weight: string, bias: string): string {
  return ctx.g.op('Gemm', [inp, weight, bias]);
}

/** dout (N, OC) -> dinp = dout @ weight^T (N, C), dweight = inp^T @ dout (C, OC), dbias = sum(dout) (OC). */
export function matmulBackward(ctx: GraphContext, dout: string, inp: string, weight: string): { dinp: string; dweight: string; dbias: string } {
  const { g } = ctx;
  return {
    dinp: g.op('Gemm', [dout, weight], { transB: { i: 1 } }),
    dweight: g.op('Gemm', [inp, dout], { transA: { i: 1 } }),
    dbias: reduceSum(ctx, dout, [0], 0),
  };
}
