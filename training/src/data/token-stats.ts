/** Token counts of a set of posts under one tokenizer (each post alone, without the separator). */
export interface TokenStats {
  posts: number;
  /** all posts' tokens plus one `<|endoftext|>` per post: what the trainer will read */
  totalTokens: number;
  meanPerPost: number;
  /** 95th percentile (nearest rank) of tokens per post */
  p95PerPost: number;
  maxPerPost: number;
}

export function tokenStats(texts: string[], countTokens: (text: string) => number): TokenStats {
  const counts = texts.map(countTokens).sort((a, b) => a - b);
  const sum = counts.reduce((s, c) => s + c, 0);
  const n = counts.length;
  return {
    posts: n,
    totalTokens: sum + n,
    meanPerPost: n === 0 ? 0 : sum / n,
    p95PerPost: n === 0 ? 0 : counts[Math.max(0, Math.ceil(0.95 * n) - 1)],
    maxPerPost: n === 0 ? 0 : counts[n - 1],
  };
}
