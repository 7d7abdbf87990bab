/**
 * Which rated replies are the best liked, and which count as liked at all. Pure: rated replies in, ranked
 * ones out.
 *
 * The score is the lower bound of the Wilson score interval (95%) for the share of 👍 among a reply's 👍 and
 * 👎: it asks how well liked a reply surely is, given how few people rated it, so 5 of 5 (0.57) ranks above
 * 1 of 1 (0.21) and 40 of 50 (0.66) above both. Plain up-minus-down would rank 50 of 100 over 5 of 5; a plain
 * share would rank 1 of 1 first.
 */
import type { RatedReply } from '@mimicbot/functions-shared/feedback';

/** z for a two-sided 95% interval. */
const Z_95 = 1.959964;

/** Lower bound of the Wilson score interval for `up` successes in `n` trials; 0 when n is 0. */
export function wilsonLowerBound(up: number, n: number, z = Z_95): number {
  if (n === 0) return 0;
  const p = up / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n);
  return (centre - spread) / (1 + z2 / n);
}

export interface ScoredReply extends RatedReply {
  score: number;
}

/** Best first: by score, then by more 👍, then the newer; equal replies keep a stable order by id. */
export function rankRated(replies: readonly RatedReply[]): ScoredReply[] {
  return replies
    .map((rated) => ({ ...rated, score: wilsonLowerBound(rated.up, rated.up + rated.down) }))
    .sort((a, b) => b.score - a.score || b.up - a.up || b.reply.servedAt - a.reply.servedAt || (a.reply.id < b.reply.id ? -1 : 1));
}

/** A liked reply: more 👍 than 👎, and at least `minUp` of them. */
export function isLiked(rated: RatedReply, minUp = 1): boolean {
  return rated.up > rated.down && rated.up >= minUp;
}
