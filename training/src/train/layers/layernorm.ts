/**
 * LayerNorm over the last axis (llm.c `layernorm_forward` / `layernorm_backward`). The forward is ONNX's
 * LayerNormalization, which also returns the mean and 1/std that the backward needs (as llm.c caches them).
 */
import { reduceSum, type GraphContext } from './graph-context.js';

export interface LayerNormCache {
  mean: string; // (N, 1)
  rstd: string; // (N, 1)
}

/** inp (N, C), weight (C), bias (C) -> out (N, C) and the cache. */
export function layernormForward(ctx: GraphContext, inp: string, weight: string, bias: string, eps: number): { out: string } & LayerNormCache {
  const [out, mean, rstd] = ctx.g.ops('LayerNormalization', [inp, weight, bias], 3, { axis: { i: -1 }, epsilon: { f: eps } });
  return { out, mean, rstd };
}

/**
 * With norm = (inp - mean) * rstd and dnorm = dout * weight:
 *   dbias = sum(dout), dweight = sum(dout * norm)  (over rows)
 *   dinp  = rstd * (dnorm - mean(dnorm) - norm * mean(dnorm * norm))   (means over C)
 */
export function layernormBackward(
  ctx: GraphContext,
  dout: string,
  inp: string,
  weight: string,
  cache: LayerNormCache,
): { dinp: string; dweight: string; dbias: string } {
  const { g } = ctx;
  const norm = g.op('Mul', [g.op('Sub', [inp, cache.mean]), cache.rstd]);
  const dnorm = g.op('Mul', [dout, weight]);
  const dbias = reduceSum(ctx, dout, [0], 0);
  const dweight = reduceSum(ctx, g.op('Mul', [dout, norm]), [0], 0);
  const meanDnorm = g.op('ReduceMean', [dnorm], { axes: { ints: [-1] }, keepdims: { i: 1 } });
  const meanDnormNorm = g.op('ReduceMean', [g.op('Mul', [dnorm, norm])], { axes: { ints: [-1] }, keepdims: { i: 1 } });
  const inner = g.op('Sub', [g.op('Sub', [dnorm, meanDnorm]), g.op('Mul', [norm, meanDnormNorm])]);
  return { dinp: g.op('Mul', [inner, cache.rstd]), dweight, dbias };
}
