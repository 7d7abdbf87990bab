/** Scores a token stream with a causal LM (any `CausalLm`: an ONNX graph of any dtype, or the reference). */
import type { CausalLm } from '../generate/causal-lm.js';
import { evalWindows } from './eval-windows.js';
import { scoreRow, type TextScore } from './text-score.js';

export interface StreamScore extends TextScore {
  /** The most likely next token at each predicted position (teacher-forced): to compare dtypes' choices. */
  argmax: Int32Array;
}

export async function scoreStream(
  lm: CausalLm,
  stream: Int32Array,
  window: number,
  onProgress?: (done: number, total: number) => void,
): Promise<StreamScore> {
  const V = lm.config.vocabSize;
  const total = Math.max(0, stream.length - 1);
  const argmax = new Int32Array(total);
  let nats = 0;
  for (const { start, length } of evalWindows(stream.length, window)) {
    const inputIds = stream.subarray(start, start + length);
    const positionIds = Array.from({ length }, (_, i) => i);
    const { logits } = await lm.forward({ batchSize: 1, inputIds, attentionMask: positionIds.map(() => 1), positionIds }); // [1, T, V]
    for (let t = 0; t < length; t++) {
      const row = scoreRow(logits.subarray(t * V, (t + 1) * V), stream[start + t + 1]);
      nats += row.nats;
      argmax[start + t] = row.argmax;
    }
    onProgress?.(start + length, total);
  }
  return { nats, tokens: total, argmax };
}

/** The share of positions where two dtypes pick the same most likely token. */
export function argmaxAgreement(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) throw new Error(`argmaxAgreement: lengths differ (${a.length} vs ${b.length})`);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return a.length === 0 ? 1 : same / a.length;
}
