/**
 * How well a model predicts a text, from its logits: the negative log-likelihood of each next token (nats),
 * summed over the text, gives perplexity per token and bits per byte. Bits per byte compares models with
 * different tokenizers (our byte-level one and GPT-2's BPE): total nats / (UTF-8 bytes x ln 2).
 */
export interface TextScore {
  /** Summed negative log-likelihood of every predicted token. */
  nats: number;
  /** Tokens predicted. */
  tokens: number;
}

/** -log softmax(logits)[target], computed stably (in double precision), and the row's most likely token. */
export function scoreRow(logits: Float32Array, target: number): { nats: number; argmax: number } {
  let max = -Infinity;
  let argmax = 0;
  for (let i = 0; i < logits.length; i++) {
    if (logits[i] > max) {
      max = logits[i];
      argmax = i;
    }
  }
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
  return { nats: Math.log(sum) + max - logits[target], argmax };
}

export function perplexity(score: TextScore): number {
  return Math.exp(score.nats / score.tokens);
}

/** Bits per byte of text: `bytes` is the UTF-8 length of the text whose tokens were predicted. */
export function bitsPerByte(score: TextScore, bytes: number): number {
  return score.nats / (bytes * Math.LN2);
}
