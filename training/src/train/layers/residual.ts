/** Residual connection (llm.c `residual_forward` / `residual_backward`): out = inp1 + inp2. */
import type { GraphContext } from './graph-context.js';

export function residualForward(ctx: GraphContext, inp1: string, inp2: string): string {
  return ctx.g.op('Add', [inp1, inp2]);
}

/** The gradient flows unchanged into both inputs; callers add it to whatever else reaches them. */
export function residualBackward(_ctx: GraphContext, dout: string): { dinp1: string; dinp2: string } {
  return { dinp1: dout, dinp2: dout };
}

/** Gradient accumulation (llm.c's `+=`): the sum of every contribution to one tensor. */
export function accumulate(ctx: GraphContext, grads: readonly string[]): string {
  return grads.length === 1 ? grads[0] : ctx.g.op('Sum', grads);
}
