/**
 * Turning a token stream into (B, T) batches.
 *
 * Packed (the default, as nanoGPT and gpt-2-simple do): the corpus is one stream of tokens with
 * `<|endoftext|>` between tweets, and each row is a window of T + 1 tokens starting at a random offset;
 * every position counts, so no compute goes to padding. A window may span two tweets; the separator
 * teaches the model where one ends.
 *
 * Padded: each row is one tweet, `<|endoftext|>` first (so the model learns how a tweet starts), cut at
 * T + 1 tokens and padded with `<|endoftext|>` under loss_mask 0 (the first end-of-text after the text
 * does count: it teaches the model to stop).
 *
 * Validation uses consecutive windows over the whole validation stream, the last one padded.
 */
import type { SeededRandom } from '../model/random.js';
import type { TokenBatch } from './training-session.js';

function emptyBatch(B: number, T: number, pad: number): TokenBatch {
  return {
    B,
    T,
    inputIds: new BigInt64Array(B * T).fill(BigInt(pad)),
    targets: new BigInt64Array(B * T).fill(BigInt(pad)),
    lossMask: new Float32Array(B * T),
  };
}

/** Row b of the batch from tokens[start .. start + length] (length <= T + 1): inputs, next-token targets, mask 1. */
function fillRow(batch: TokenBatch, b: number, tokens: ArrayLike<number>, start: number, length: number): void {
  const { T } = batch;
  for (let t = 0; t + 1 < length && t < T; t++) {
    batch.inputIds[b * T + t] = BigInt(tokens[start + t]);
    batch.targets[b * T + t] = BigInt(tokens[start + t + 1]);
    batch.lossMask[b * T + t] = 1;
  }
}

/** B random windows of T + 1 tokens of the stream (which must hold at least T + 1), any start from 0 to length - T - 1. */
export function packedBatch(stream: Int32Array, B: number, T: number, random: SeededRandom, pad: number): TokenBatch {
  if (stream.length < T + 1) throw new Error(`the training text has ${stream.length} tokens; a batch row needs ${T + 1}`);
  const batch = emptyBatch(B, T, pad);
  for (let b = 0; b < B; b++) fillRow(batch, b, stream, random.nextUint32() % (stream.length - T), T + 1);
  return batch;
}

/** B random documents, each `<|endoftext|>` + text + `<|endoftext|>`, cut to T + 1 tokens and padded. */
export function paddedBatch(documents: readonly Int32Array[], B: number, T: number, random: SeededRandom, eos: number): TokenBatch {
  const batch = emptyBatch(B, T, eos);
  for (let b = 0; b < B; b++) {
    const doc = documents[random.nextUint32() % documents.length];
    const row = new Int32Array(Math.min(doc.length + 2, T + 1));
    row[0] = eos;
    row.set(doc.subarray(0, row.length - 1), 1);
    if (doc.length + 2 <= T + 1) row[doc.length + 1] = eos;
    fillRow(batch, b, row, 0, row.length);
  }
  return batch;
}

/** Consecutive windows covering every next-token prediction of the stream once, B rows at a time. */
export function* sequentialBatches(stream: Int32Array, B: number, T: number, pad: number): Generator<TokenBatch> {
  const windows: number[] = [];
  for (let start = 0; start + 1 < stream.length; start += T) windows.push(start);
  for (let i = 0; i < windows.length; i += B) {
    const rows = windows.slice(i, i + B);
    const batch = emptyBatch(rows.length, T, pad);
    rows.forEach((start, b) => fillRow(batch, b, stream, start, Math.min(T + 1, stream.length - start)));
    yield batch;
  }
}
