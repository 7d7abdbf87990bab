/**
 * What X adds to the reply loop: a draft is fitted to X's weighted length before it is judged (so the
 * filter judges only what would be posted), and X's "duplicate content" refusal sends the loop on to the
 * next draft.
 */
import { lastSentenceEnd, reshape, type Delivery, type DraftStep, type SurfaceSteps } from '@mimicbot/functions-shared';
import { fitWeightedLength, MAX_WEIGHTED_LENGTH } from './weighted-length.js';
import { XDuplicateError } from './x-client.js';

/**
 * Fit to weighted length 280 (NFC-normalized) with the disclosure appended: a draft that does not fit is
 * cut back to its last sentence end within the limit, or at a word boundary when it has none, as a draft
 * cut at the token limit is. The draft keeps only its own words; the disclosure is added when it is posted.
 */
export function fitTweet(disclosure = ''): DraftStep {
  return (draft) => {
    const normalized = draft.continuation.normalize('NFC');
    const fitted = fitWeightedLength(normalized, MAX_WEIGHTED_LENGTH, disclosure);
    if (fitted === normalized.trim()) return reshape(draft, fitted);
    const sentence = lastSentenceEnd(fitted);
    return reshape(draft, sentence > 0 ? fitted.slice(0, sentence) : fitted);
  };
}

export function tweetSteps(disclosure = ''): SurfaceSteps {
  return { shape: [fitTweet(disclosure)] };
}

/** Without a disclosure. */
export const TWEET_STEPS: SurfaceSteps = tweetSteps();

/** Runs a post; X calling the text a duplicate refuses the draft instead of failing. */
export async function refuseDuplicates<T>(send: () => Promise<T>): Promise<Delivery<T>> {
  try {
    return { delivered: await send() };
  } catch (error) {
    if (error instanceof XDuplicateError) return { refused: 'duplicate' };
    throw error;
  }
}
