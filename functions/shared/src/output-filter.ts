/**
 * Keeps the bot's worst output off the air: text containing a listed word is refused. On by default, like
 * the seed projects filtered their bots; the list is configurable (OUTPUT_FILTER_WORDS replaces it).
 *
 * Matching is on whole words, case-insensitively, after folding common character swaps (0→o, 1→i, 3→e,
 * 4→a, 5→s, 7→t, @→a, $→s) and accents, so "H3LL0" matches "hello" but "Scunthorpe" does not match its
 * infix. A listed word may end in `*` to match as a prefix ("fuck*" matches "fucking").
 */

/** A deliberately short default list of slurs and the crudest words; deployers extend it for their audience. */
export const DEFAULT_BLOCKED_WORDS: readonly string[] = [
  'fuck*',
  'motherfuck*',
  'shit*',
  'cunt*',
  'bitch*',
  'whore*',
  'slut*',
  'rape*',
  'nigger*',
  'nigga*',
  'faggot*',
  'fag',
  'fags',
  'retard*',
  'tranny',
  'kike*',
  'spic',
  'spics',
  'chink*',
  'wetback*',
  'dyke*',
];

export interface OutputFilter {
  /** The blocked words found in the text (as listed), empty when the text is clean or the filter is off. */
  findBlocked(text: string): string[];
  isAllowed(text: string): boolean;
}

const SWAPS: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[013457@$]/g, (c) => SWAPS[c] ?? c);
}

export function createOutputFilter(options: { enabled?: boolean; words?: readonly string[] } = {}): OutputFilter {
  const enabled = options.enabled ?? true;
  const entries = (options.words ?? DEFAULT_BLOCKED_WORDS)
    .map((word) => word.trim())
    .filter((word) => word !== '')
    .map((word) => ({ word, prefix: word.endsWith('*'), stem: fold(word.replace(/\*$/, '')) }));

  function findBlocked(text: string): string[] {
    if (!enabled || entries.length === 0) return [];
    const tokens = fold(text).split(/[^\p{L}\p{N}]+/u);
    return entries
      .filter(({ prefix, stem }) => tokens.some((token) => (prefix ? token.startsWith(stem) : token === stem)))
      .map(({ word }) => word);
  }

  return { findBlocked, isAllowed: (text) => findBlocked(text).length === 0 };
}
