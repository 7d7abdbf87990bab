/**
 * A draft that stopped because it hit the token limit (finish reason 'length') ends wherever the limit fell,
 * often mid-word ("…think one. <etor> Let o"). It is cut back to its last sentence end, or when it has
 * none to its last word boundary (the word after it may be unfinished), so nothing goes out mid-thought.
 * A draft whose model said end-of-text before the limit is whole, and is left as it is.
 */
import { END_OF_TEXT } from '../clean-text.js';
import { reshape, type DraftStep } from '../reply/draft.js';

/**
 * A sentence end: one or more of . ! ? … followed by any closing quotes or brackets, then whitespace (or
 * the end of a text that is whole). "e.g. this" counts too: rare enough in a short reply, and cutting there
 * is harmless. A line break ends a sentence too (a fortune's attribution, a new paragraph); the end is
 * before it.
 */
const SENTENCE_END = /[.!?…]+["'”’»)\]]*(?=\s)|\n/gu;
const FINAL_SENTENCE_END = /[.!?…]+["'”’»)\]]*$/u;

/**
 * The index just after the last sentence end in `text` (before the line break, for a line break), or -1
 * when it has none. `whole`: the text is all there is (its very end may end a sentence); false while
 * more may follow (the streamed reply, stream-cleaner.ts, which sends text only up to here).
 */
export function lastSentenceEnd(text: string, options: { whole?: boolean } = {}): number {
  let end = -1;
  for (const match of text.matchAll(SENTENCE_END)) end = match[0] === '\n' ? match.index : match.index + match[0].length;
  if ((options.whole ?? true) && FINAL_SENTENCE_END.test(text)) end = text.length;
  // A line break with nothing before it ends nothing.
  return text.slice(0, Math.max(end, 0)).trim() === '' ? -1 : end;
}

/**
 * `text` cut back to its last sentence end; without one, to before its last word (and the commas, dashes
 * and spaces that led up to it); '' when it is a single word.
 */
export function cutBackToSentence(text: string): string {
  const trimmed = text.trimEnd();
  const sentence = lastSentenceEnd(trimmed);
  if (sentence > 0) return trimmed.slice(0, sentence).trimEnd();
  const lastSpace = trimmed.search(/\s\S*$/u);
  if (lastSpace <= 0) return '';
  return trimmed.slice(0, lastSpace).replace(/[\s,;:\-–—(["'“‘]+$/u, '');
}

/** Cuts back a draft that hit the token limit (see the top of this file). */
export const cutAtLength: DraftStep = (draft) => {
  if (draft.finishReason !== 'length' || draft.raw.includes(END_OF_TEXT)) return draft;
  return reshape(draft, cutBackToSentence(draft.continuation));
};
