/**
 * Which of the model's tokens the kept text came from. After cleaning and cutting, a draft's continuation
 * is the raw text with characters taken out (leading markers and whitespace, invisible controls) and its
 * end cut off, so it no longer maps one to one onto the tokens. The kept continuation is found in the raw
 * text (each character in order, skipping `<|...|>` markers whole), and the tokens whose characters
 * overlap that stretch (by `textOffset`) are the ones that made it.
 */
import type { TokenLogprobs } from '../model-client.js';

const MARKER = /<\|[a-z_]+\|>/y;

/** [start, end) of `raw` that `continuation` was kept from, or undefined when it cannot be found in it. */
export function keptSpan(raw: string, continuation: string): { start: number; end: number } | undefined {
  if (continuation === '') return undefined;
  let start = -1;
  let end = 0;
  let next = 0;
  for (let i = 0; i < raw.length && next < continuation.length; i++) {
    MARKER.lastIndex = i;
    if (MARKER.test(raw)) {
      i = MARKER.lastIndex - 1;
      continue;
    }
    if (raw[i] !== continuation[next]) continue;
    if (start === -1) start = i;
    next++;
    end = i + 1;
  }
  return next === continuation.length ? { start, end } : undefined;
}

/**
 * The log-probabilities of the tokens that overlap the kept continuation; all of them when it cannot be
 * found in the raw text (a surface reshaped it beyond cutting, e.g. Unicode normalization).
 */
export function keptTokenLogprobs(logprobs: TokenLogprobs, raw: string, continuation: string): number[] {
  const span = keptSpan(raw, continuation) ?? { start: 0, end: raw.length };
  const kept: number[] = [];
  const { textOffset, tokenLogprobs } = logprobs;
  for (let i = 0; i < tokenLogprobs.length; i++) {
    const from = textOffset[i];
    const to = i + 1 < textOffset.length ? textOffset[i + 1] : raw.length;
    // A token of no characters (one byte of a character split across tokens) belongs where it starts.
    const overlaps = to > from ? from < span.end && to > span.start : from >= span.start && from < span.end;
    const logprob = tokenLogprobs[i];
    if (overlaps && logprob !== null) kept.push(logprob);
  }
  return kept;
}
