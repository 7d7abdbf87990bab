/**
 * What BPE training learns, in ids: every token's bytes (ids 0-255 are the bytes themselves, then the
 * merged tokens in the order they were learned) and the merge rules in priority order. `<|endoftext|>`
 * comes after the last token (id = tokens.length), where GPT-2 keeps it.
 */
export interface BpeMerge {
  left: number;
  right: number;
  /** The id of left + right: usually a new token, an existing one when two merge paths spell the same bytes. */
  result: number;
}

export interface LearnedBpe {
  tokens: Uint8Array[];
  merges: BpeMerge[];
}

/** Vocabulary ids 0-255: one per byte value. */
export const BYTE_TOKENS = 256;

/** Bits that a pair key keeps for the right id; vocabularies stay far below 2^21 ids. */
const KEY_BASE = 2 ** 21;

/** One number per ordered pair of ids, ordered by left id, then right id. */
export function pairKey(left: number, right: number): number {
  return left * KEY_BASE + right;
}

export function pairOfKey(key: number): [number, number] {
  return [Math.floor(key / KEY_BASE), key % KEY_BASE];
}

export function byteTokens(): Uint8Array[] {
  return Array.from({ length: BYTE_TOKENS }, (_, b) => Uint8Array.of(b));
}
