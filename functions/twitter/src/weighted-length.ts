/**
 * X's weighted length, as X counts it (twitter-text, the reference its docs point to): most Latin text
 * weighs 1, emoji and CJK weigh 2, any URL (bare domains included) weighs 23, text is NFC-normalized first.
 */
import twitterText from 'twitter-text';

/** X's limit for a post from a non-Premium account, in weighted characters. */
export const MAX_WEIGHTED_LENGTH = 280;

export function weightedLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

/**
 * The longest start of `text` that fits `max`, cut at a word boundary (whitespace), so no word or URL is
 * split. When even the first word does not fit (one enormous "word"), it is cut between code points.
 */
export function fitWeightedLength(text: string, max = MAX_WEIGHTED_LENGTH): string {
  const normalized = text.normalize('NFC').trim();
  if (weightedLength(normalized) <= max) return normalized;

  // Ends of every word: indexes where a whitespace run starts. Weight grows with each word added, so
  // a binary search finds the last end that still fits.
  const wordEnds = [...normalized.matchAll(/\s+/g)].map((match) => match.index);
  let low = 0;
  let high = wordEnds.length - 1;
  let best = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (weightedLength(normalized.slice(0, wordEnds[middle])) <= max) {
      best = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  if (best >= 0) return normalized.slice(0, wordEnds[best]).trimEnd();

  return longestFittingPrefix(Array.from(normalized), max);
}

/** Cuts between code points (never inside a surrogate pair) where the weight stops fitting. */
function longestFittingPrefix(codePoints: string[], max: number): string {
  let low = 0;
  let high = codePoints.length;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (weightedLength(codePoints.slice(0, middle).join('')) <= max) low = middle;
    else high = middle - 1;
  }
  return codePoints.slice(0, low).join('');
}
