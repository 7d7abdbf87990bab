/**
 * Bits per byte: a model's total loss over a text divided by the text's size in bytes, so models with
 * different tokenizers compare on the same text: total nats / (bytes x ln 2). The text is a validation
 * stream as the trainer sees it, `<eot> post <eot> post ... <eot>`; every prediction counts once, each
 * window of T tokens starting afresh (as `validationLoss` reads it). Each `<|endoftext|>` counts as one
 * byte, as it is one symbol to the byte-level model: for that model bits per byte is then exactly its
 * mean loss per token / ln 2.
 */
import { sequentialBatches } from './batches.js';
import type { Gpt2Weights } from '../model/gpt2-config.js';
import type { TrainingSession } from './training-session.js';

export interface StreamLoss {
  /** Sum of -ln p(next token) over every prediction in the stream. */
  nats: number;
  /** Predictions counted: the stream's length - 1. */
  predictions: number;
}

/** Total loss over a whole token stream with a 'loss' (or 'gradients') session, windows of T tokens, B at a time. */
export async function streamLoss(session: TrainingSession, weights: Gpt2Weights, stream: Int32Array, B: number, T: number, eos: number): Promise<StreamLoss> {
  let nats = 0, predictions = 0;
  for (const batch of sequentialBatches(stream, B, T, eos)) {
    const count = batch.lossMask.reduce((a, b) => a + b, 0);
    nats += (await session.lossAndGradients(weights, batch)).loss * count;
    predictions += count;
  }
  return { nats, predictions };
}

/** The bytes a validation stream stands for: the posts' UTF-8 bytes and one per `<|endoftext|>` after a post. */
export function streamBytes(posts: readonly string[]): number {
  return posts.reduce((n, post) => n + Buffer.byteLength(post, 'utf8') + 1, 0);
}

export function bitsPerByte(nats: number, bytes: number): number {
  return nats / (bytes * Math.LN2);
}
