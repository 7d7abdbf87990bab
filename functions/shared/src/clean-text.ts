import { stripInvisibleControls } from './invisible-controls.js';

/** GPT-2's end-of-text marker; a model may emit it literally when the server does not stop on it. */
export const END_OF_TEXT = '<|endoftext|>';

/**
 * Makes generated text presentable: strips invisible and bidirectional control characters, drops leading
 * `<|endoftext|>` markers, cuts at the next one (what follows is a new, unrelated document), removes any
 * other special-token markers, and trims whitespace.
 */
export function cleanGeneratedText(text: string): string {
  const body = stripInvisibleControls(text).replace(/^(\s*<\|endoftext\|>)+/, '');
  const end = body.indexOf(END_OF_TEXT);
  const kept = end === -1 ? body : body.slice(0, end);
  return kept.replace(/<\|[a-z_]+\|>/g, '').trim();
}
