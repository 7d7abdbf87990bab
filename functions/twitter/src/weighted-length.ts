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

/** The post as it goes out: the text, then the disclosure (POST_DISCLOSURE) after one space, when there is one. */
export function withDisclosure(text: string, disclosure: string): string {
  return disclosure === '' ? text : `${text} ${disclosure}`;
}

/**
 * The longest start of `text` that fits `max`, cut at a word boundary (whitespace), so no word or URL is
 * split. When even the first word does not fit (one enormous "word"), it is cut between code points.
 * With a `disclosure`, the text with it appended (withDisclosure) is what must fit: X counts the whole
 * post, and a URL or emoji next to it changes the count, so it is measured together rather than subtracted.
 */
export function fitWeightedLength(text: string, max = MAX_WEIGHTED_LENGTH, disclosure = ''): string {
  const normalized = text.normalize('NFC').trim();
  const fits = (start: string) => weightedLength(withDisclosure(start, disclosure)) <= max;
  if (fits(normalized)) return normalized;

  // Ends of every word: indexes where a whitespace run starts. Weight grows with each word added, so
  // a binary search finds the last end that still fits.
  const wordEnds = [...normalized.matchAll(/\s+/g)].map((match) => match.index);
  let low = 0;
  let high = wordEnds.length - 1;
  let best = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (fits(normalized.slice(0, wordEnds[middle]))) {
      best = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  if (best >= 0) return normalized.slice(0, wordEnds[best]).trimEnd();

  return longestFittingPrefix(Array.from(normalized), fits);
}

/** Cuts between code points (never inside a surrogate pair) where the weight stops fitting. */
function longestFittingPrefix(codePoints: string[], fits: (start: string) => boolean): string {
  let low = 0;
  let high = codePoints.length;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (fits(codePoints.slice(0, middle).join(''))) low = middle;
    else high = middle - 1;
  }
  return codePoints.slice(0, low).join('');
}
