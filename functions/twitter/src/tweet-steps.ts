/**
 * What X adds to the reply loop: a draft is fitted to X's weighted length before it is judged (so the
 * filter judges only what would be posted), and X's "duplicate content" refusal sends the loop on to the
 * next draft.
 */
import type { Delivery, DraftStep, SurfaceSteps } from '@mimicbot/functions-shared';
import { fitWeightedLength } from './weighted-length.js';
import { XDuplicateError } from './x-client.js';

/** Cut at a word boundary to weighted length 280 (NFC-normalized). */
export const fitTweet: DraftStep = (draft) => ({ ...draft, text: fitWeightedLength(draft.text) });

export const TWEET_STEPS: SurfaceSteps = { shape: [fitTweet] };

/** Runs a post; X calling the text a duplicate refuses the draft instead of failing. */
export async function refuseDuplicates<T>(send: () => Promise<T>): Promise<Delivery<T>> {
  try {
    return { delivered: await send() };
  } catch (error) {
    if (error instanceof XDuplicateError) return { refused: 'duplicate' };
    throw error;
  }
}
