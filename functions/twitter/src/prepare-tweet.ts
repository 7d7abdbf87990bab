/**
 * From raw model output to text X will take: clean (no `<|endoftext|>`, trimmed), fit X's weighted length by
 * cutting at a word boundary, then refuse empty text and text the output filter blocks. Pure.
 */
import { cleanGeneratedText, type OutputFilter } from '@mimicbot/functions-shared';
import { fitWeightedLength, MAX_WEIGHTED_LENGTH } from './weighted-length.js';

export type PreparedTweet = { ok: true; text: string } | { ok: false; reason: 'empty' | 'filtered'; blocked?: string[] };

export function prepareTweet(raw: string, filter: OutputFilter, maxWeightedLength = MAX_WEIGHTED_LENGTH): PreparedTweet {
  const text = fitWeightedLength(cleanGeneratedText(raw), maxWeightedLength);
  if (text === '') return { ok: false, reason: 'empty' };
  const blocked = filter.findBlocked(text);
  // The blocked words themselves are kept out of logs by callers; only their count travels.
  if (blocked.length > 0) return { ok: false, reason: 'filtered', blocked };
  return { ok: true, text };
}
