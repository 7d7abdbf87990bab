/**
 * Softmax + cross-entropy on next tokens, averaged over the tokens whose loss_mask is 1 (llm.c
 * `softmax_forward` + `crossentropy_forward`, and the fused `crossentropy_softmax_backward`).
 * Padding is masked out: a masked position adds nothing to the loss and gets no gradient. Its target
 * must still be a valid id (0..V-1); the trainer uses the end-of-text id.
 */
import { DataType } from '../../onnx/onnx-proto.js';
import { reduceSum, type GraphContext } from './graph-context.js';

export interface CrossEntropyCache {
  probs: string; // (N, V)
  targets: string; // (N, 1) int64
  scale: string; // (N, 1): loss_mask / number of unmasked tokens
}

/** logits (N, V), targets int64 (B, T), lossMask float (B, T) -> the mean loss (scalar) and the cache. */
export function crossentropyForward(ctx: GraphContext, logits: string, targets: string, lossMask: string): { loss: string } & CrossEntropyCache {
  const { g } = ctx;
  const logProbs = g.op('LogSoftmax', [logits], { axis: { i: -1 } });
  const targets2 = g.op('Reshape', [targets, ctx.i64([-1, 1])]);
  const mask2 = g.op('Reshape', [lossMask, ctx.i64([-1, 1])]);
  // max(count, 1): an all-padding batch has loss 0, not NaN.
  const count = g.op('Max', [reduceSum(ctx, mask2, [0, 1], 0), ctx.f32(1)]);
  const scale = g.op('Div', [mask2, count]);
  const nll = g.op('Neg', [g.op('GatherElements', [logProbs, targets2], { axis: { i: 1 } })]); // (N, 1)
  const loss = reduceSum(ctx, g.op('Mul', [nll, scale]), [0, 1], 0);
  return { loss, probs: g.op('Exp', [logProbs]), targets: targets2, scale };
}

/** dlogits = (probs - onehot(targets)) * scale. */
export function crossentropyBackward(ctx: GraphContext, cache: CrossEntropyCache): string {
  const { g } = ctx;
  const minusOne = g.op('ConstantOfShape', [g.op('Shape', [cache.targets])], {
    value: { t: { name: 'minus_one', dataType: DataType.FLOAT, dims: [1], raw: new Uint8Array(Float32Array.of(-1).buffer) } },
  });
  const probsMinusOneHot = g.op('ScatterElements', [cache.probs, cache.targets, minusOne], { axis: { i: 1 }, reduction: { s: 'add' } });
  return g.op('Mul', [probsMinusOneHot, cache.scale]);
}
