/**
 * Checks that turn down a draft no reader should see, each a DraftStep with its own reason: broken
 * characters, nothing but punctuation or mentions, too few words, one character held down, a stretch said
 * over and over. They judge the continuation alone, after it is cleaned and cut (see gate-steps.ts).
 */
import { reject, type DraftStep } from '../reply/draft.js';
import { longestCharacterRun, mostRepeatedUnit } from './repetition.js';

/** U+FFFD (what a decoder writes for bytes that are not UTF-8) or half of a surrogate pair. */
const BROKEN = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/** Broken characters: rejected as 'broken_text'. */
export const refuseBrokenText: DraftStep = (draft) => (BROKEN.test(draft.continuation) ? reject('broken_text') : draft);

/** Mentions and links say nothing by themselves. */
const NOT_WORDS = /(^|[^\p{L}\p{N}_])@\w+|\bhttps?:\/\/\S+/gu;

/** The words of a text: runs of letters (with digits, apostrophes and hyphens inside), mentions and links left out. */
export function wordsOf(text: string): string[] {
  return text.replace(NOT_WORDS, ' ').match(/\p{L}[\p{L}\p{N}'’-]*|\p{N}+\p{L}[\p{L}\p{N}'’-]*/gu) ?? [];
}

/** No word at all (punctuation, numbers, mentions, links): rejected as 'no_words'. */
export const refuseNoWords: DraftStep = (draft) => (wordsOf(draft.continuation).length === 0 ? reject('no_words') : draft);

/** Fewer than `minWords` words: rejected as 'too_short'. */
export function refuseTooShort(minWords: number): DraftStep {
  return (draft) => (wordsOf(draft.continuation).length < minWords ? reject('too_short') : draft);
}

/** A character (not whitespace) repeated back to back more than `maxRun` times: rejected as 'repeated_character'. */
export function refuseRepeatedCharacter(maxRun: number): DraftStep {
  return (draft) => (longestCharacterRun(draft.continuation) > maxRun ? reject('repeated_character') : draft);
}

/** A stretch of 2–40 characters said back to back more than `maxRepeats` times: rejected as 'repeated_phrase'. */
export function refuseRepeatedPhrase(maxRepeats: number): DraftStep {
  return (draft) => (mostRepeatedUnit(draft.continuation).repeats > maxRepeats ? reject('repeated_phrase') : draft);
}
