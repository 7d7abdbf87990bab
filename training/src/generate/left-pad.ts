/**
 * Prompts of different lengths as one left-padded batch, with the mask and position ids that
 * transformers.js computes (position = cumsum(mask) - 1, and 1 on padding), so a padded prompt sees
 * the same positions as it would alone.
 */
export interface PaddedBatch {
  batchSize: number; // B
  length: number; // T, the longest prompt
  inputIds: number[]; // [B, T]
  attentionMask: number[]; // [B, T]
  positionIds: number[]; // [B, T]
}

export function leftPad(prompts: readonly (readonly number[])[], padTokenId: number): PaddedBatch {
  if (prompts.length === 0) throw new Error('no prompts');
  const T = Math.max(...prompts.map((p) => p.length));
  if (T === 0) throw new Error('every prompt is empty');
  const inputIds: number[] = [];
  const attentionMask: number[] = [];
  const positionIds: number[] = [];
  for (const prompt of prompts) {
    if (prompt.length === 0) throw new Error('a prompt is empty: give at least one token');
    const pad = T - prompt.length;
    for (let t = 0; t < T; t++) {
      const real = t >= pad;
      inputIds.push(real ? prompt[t - pad] : padTokenId);
      attentionMask.push(real ? 1 : 0);
      positionIds.push(real ? t - pad : 1);
    }
  }
  return { batchSize: prompts.length, length: T, inputIds, attentionMask, positionIds };
}
