/**
 * One post as `fetch` and `import` write it, one JSON object per line (JSONL), and as `prepare` reads it.
 *
 * `text` is kept exactly as X serves it (HTML-escaped: `&amp;`, `&lt;`, `&gt;`; t.co links in place), so the
 * file is a faithful copy; `prepare` does the cleaning, once.
 */
export interface TweetRecord {
  /** X's id as a decimal string (ids exceed 2^53). */
  id: string;
  /** ISO 8601, UTC. */
  created_at: string;
  text: string;
  /** Present only on replies to another account that were kept (`--replies`): that account's id or handle. */
  reply_to?: string;
}

export function tweetRecordLine(record: TweetRecord): string {
  const { id, created_at, text, reply_to } = record;
  return JSON.stringify(reply_to === undefined ? { id, created_at, text } : { id, created_at, text, reply_to }) + '\n';
}

/** Numeric order of two decimal id strings (snowflake ids are too large for Number). */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

export function maxId(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareIds(a, b) >= 0 ? a : b;
}
