/**
 * GELU, tanh approximation as GPT-2 uses it (llm.c `gelu_forward` / `gelu_backward`):
 *   y = 0.5 x (1 + tanh(s (x + 0.044715 x^3))),  s = sqrt(2 / pi)
 */
import type { GraphContext } from './graph-context.js';

const GELU_SCALE = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

/** inp (N, D) -> out (N, D), and tanh of the inner term (cached for the backward). */
export function geluForward(ctx: GraphContext, inp: string): { out: string; tanh: string } {
  const { g } = ctx;
  const cube = g.op('Mul', [g.op('Mul', [inp, inp]), inp]);
  const inner = g.op('Mul', [ctx.f32(GELU_SCALE), g.op('Add', [inp, g.op('Mul', [ctx.f32(GELU_CUBIC), cube])])]);
  const tanh = g.op('Tanh', [inner]);
  const out = g.op('Mul', [g.op('Mul', [ctx.f32(0.5), inp]), g.op('Add', [ctx.f32(1), tanh])]);
  return { out, tanh };
}

/** dinp = dout * (0.5 (1 + tanh) + 0.5 x sech^2 * s (1 + 3 * 0.044715 x^2)), sech^2 = 1 - tanh^2. */
export function geluBackward(ctx: GraphContext, dout: string, inp: string, tanh: string): string {
  const { g } = ctx;
  const sech2 = g.op('Sub', [ctx.f32(1), g.op('Mul', [tanh, tanh])]);
  const dInner = g.op('Mul', [ctx.f32(GELU_SCALE), g.op('Add', [ctx.f32(1), g.op('Mul', [ctx.f32(3 * GELU_CUBIC), g.op('Mul', [inp, inp])])])]);
  const left = g.op('Mul', [ctx.f32(0.5), g.op('Add', [ctx.f32(1), tanh])]);
  const right = g.op('Mul', [g.op('Mul', [ctx.f32(0.5), inp]), g.op('Mul', [sech2, dInner])]);
  return g.op('Mul', [dout, g.op('Add', [left, right])]);
}
