/**
 * The largest elementwise |a - b|: how tests and the agreement benchmark compare logits and caches. Arrays of
 * different lengths are refused (a short one would otherwise compare only its prefix), and a NaN anywhere makes
 * the result NaN, which fails every `toBeLessThan`.
 */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
