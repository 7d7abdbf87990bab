/**
 * How the continuation meets the prompt. A model asked to continue "tell me a secret" may go on with
 * "tempt friends.": shown after the prompt that reads "tell me a secrettempt friends.", and shown alone it
 * starts mid-word. Such a draft is turned down as 'glued'. A draft that only says the prompt again is
 * turned down as 'echo'. `joinToPrompt` is the one way a surface puts prompt and continuation together.
 */
import { stripInvisibleControls } from '../invisible-controls.js';
import { reject, type DraftStep } from '../reply/draft.js';
import { wordsOf } from './degenerate-steps.js';

const LEADING_MARKERS = /^(?:\s*<\|endoftext\|>)+/;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * What goes between the prompt and the continuation, from how the model began: its own line break or
 * space (collapsed to one), a line break when it started a new text, nothing when it began with
 * punctuation (", she said") — or nothing when it ran on into the prompt's last word, which
 * `refuseGlued` keeps from being shown.
 */
export function separatorAfterPrompt(prompt: string, raw: string): string {
  if (prompt === '') return '';
  const visible = stripInvisibleControls(raw);
  if (LEADING_MARKERS.test(visible)) return '\n';
  const leading = /^\s*/u.exec(visible)?.[0] ?? '';
  if (leading.includes('\n')) return '\n';
  return leading === '' ? '' : ' ';
}

/** The prompt and the continuation as one readable message. */
export function joinToPrompt(prompt: string, raw: string, continuation: string): string {
  if (prompt === '') return continuation;
  return `${prompt}${separatorAfterPrompt(prompt, raw)}${continuation}`;
}

/** True when the model went on inside the prompt's last word ("secret" + "tempt"). */
export function runsIntoPrompt(prompt: string, raw: string): boolean {
  const last = Array.from(prompt).at(-1);
  if (last === undefined || !WORD_CHARACTER.test(last)) return false;
  const visible = stripInvisibleControls(raw);
  if (LEADING_MARKERS.test(visible)) return false;
  const first = Array.from(visible)[0];
  return first !== undefined && WORD_CHARACTER.test(first);
}

/** A continuation that runs on inside the prompt's last word: rejected as 'glued'. */
export const refuseGlued: DraftStep = (draft, context) => (runsIntoPrompt(context.prompt, draft.raw) ? reject('glued') : draft);

/** Folded for comparison: lower case, words only. */
const fold = (text: string) => wordsOf(text.toLowerCase());

function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false;
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((word, i) => haystack[start + i] === word)) return true;
  }
  return false;
}

/** Prompts this short repeated in a reply are ordinary speech ("I think ... I think"), not an echo. */
const ECHO_MIN_PROMPT_WORDS = 3;

/**
 * A continuation that says nothing the prompt did not (its words are a run of the prompt's), or repeats a
 * prompt of three or more words word for word: rejected as 'echo'.
 */
export const refuseEcho: DraftStep = (draft, context) => {
  const prompt = fold(context.prompt);
  const continuation = fold(draft.continuation);
  if (prompt.length === 0 || continuation.length === 0) return draft;
  if (containsRun(prompt, continuation)) return reject('echo');
  if (prompt.length >= ECHO_MIN_PROMPT_WORDS && containsRun(continuation, prompt)) return reject('echo');
  return draft;
};
