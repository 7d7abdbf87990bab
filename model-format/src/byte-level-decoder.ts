/**
 * Decoding without the tokenizer library, for byte-level BPE (GPT-2's family): every id stands for fixed
 * bytes, so a table of them is all decoding needs. The library's tokenizer holds the vocabulary and the
 * merges as maps of strings (GPT-2: 16 MB alive, +33 MB of RSS); this table is one byte array and its offsets
 * (0.7 MB; model-format/bench/token-decoder.ts measures both). The server's main thread only decodes, so it
 * keeps the table and leaves encoding to its tokenizer thread.
 */
import { byteLevelBytes, byteOfCharCode, CHAR_OF_BYTE } from './byte-level-alphabet.js';
import { resolveSpecialIds, type SpecialIds } from './special-ids.js';
import type { TextTokenizer, TokenizerSources } from './text-tokenizer.js';

/** The part of a TextTokenizer that turns ids back into text: everything but `encode`. */
export type TokenDecoder = Omit<TextTokenizer, 'encode'>;

type Json = Record<string, unknown>;

const NO_ID = 0;
const BYTE_LEVEL = 1;
/** An added token (`<|endoftext|>`): the library writes its content as it is rather than through the alphabet. */
const LITERAL = 2;

/** Ids far beyond the vocabulary's size would make the table mostly holes: the library's sparse array suits them better. */
const MAX_HOLES = 1024;

/**
 * The byte table for a byte-level BPE tokenizer.json (`decoder.type` ByteLevel, `model.type` BPE);
 * undefined for any other tokenizer, or one whose decoding the table could not reproduce exactly (a
 * vocabulary entry outside the byte alphabet, an end-of-word suffix, a malformed list): those keep the
 * library's tokenizer.
 *
 * It decodes exactly as @huggingface/tokenizers' `decode(ids, { skip_special_tokens: false,
 * clean_up_tokenization_spaces: false })`: each id's bytes joined and read as UTF-8, broken sequences as
 * U+FFFD, a leading byte-order mark kept. (The library decodes the bytes between added tokens separately;
 * an added token's content is whole UTF-8, so decoding it all at once cuts the broken sequences the same way.)
 */
export function createByteLevelDecoder(sources: TokenizerSources, dir = '.'): TokenDecoder | undefined {
  const json = sources.tokenizerJson as Json;
  const model = json.model as Json | null | undefined;
  const decoder = json.decoder as Json | null | undefined;
  if (decoder?.type !== 'ByteLevel' || model?.type !== 'BPE' || model.end_of_word_suffix) return undefined;
  const vocab = model.vocab;
  if (typeof vocab !== 'object' || vocab === null || Array.isArray(vocab) || !Array.isArray(json.added_tokens)) return undefined;

  // id -> entry, built as the library builds its own: the vocabulary, then the added tokens over it.
  const entries: (string | undefined)[] = [];
  let count = 0;
  for (const [token, id] of Object.entries(vocab as Json)) {
    if (!isId(id)) return undefined;
    entries[id] = token;
    count++;
  }
  const addedIds = new Map<string, number>();
  for (const added of json.added_tokens as Json[]) {
    const { content, id } = added ?? {};
    if (typeof content !== 'string' || !isId(id) || !isWellFormed(content)) return undefined;
    entries[id] = content;
    addedIds.set(content, id);
    count++;
  }
  if (entries.length > 2 * count + MAX_HOLES) return undefined;

  // Two passes over the entries, so the bytes go straight into one array: which kind and how long, then the bytes.
  // The library writes any entry equal to an added token's content as that content, whatever its id.
  const size = entries.length;
  const kinds = new Uint8Array(size);
  const offsets = new Uint32Array(size + 1);
  let total = 0;
  for (let id = 0; id < size; id++) {
    offsets[id] = total;
    const entry = entries[id];
    if (entry === undefined) continue;
    if (addedIds.has(entry)) {
      kinds[id] = LITERAL;
      total += utf8.encode(entry).length;
    } else {
      for (let i = 0; i < entry.length; i++) if (byteOfCharCode(entry.charCodeAt(i)) < 0) return undefined;
      kinds[id] = BYTE_LEVEL;
      total += entry.length;
    }
  }
  offsets[size] = total;
  const table = new Uint8Array(total);
  for (let id = 0; id < size; id++) {
    const entry = entries[id]!;
    if (kinds[id] === LITERAL) utf8.encodeInto(entry, table.subarray(offsets[id]));
    else if (kinds[id] === BYTE_LEVEL) for (let i = 0; i < entry.length; i++) table[offsets[id] + i] = byteOfCharCode(entry.charCodeAt(i));
  }
  // An id with no entry decodes as the model's unk_token would (GPT-2 has none: nothing).
  const unk = model.unk_token;
  const unknown = typeof unk !== 'string' ? new Uint8Array(0) : addedIds.has(unk) ? utf8.encode(unk) : byteLevelBytes(unk);
  if (unknown === undefined) return undefined;

  const vocabulary = vocab as Json;
  const special = resolveSpecialIds(
    sources,
    (token) => addedIds.get(token) ?? (Object.hasOwn(vocabulary, token) ? (vocabulary[token] as number) : undefined),
    dir,
  );
  return tableDecoder({ kinds, offsets, bytes: table, unknown }, special);
}

interface ByteTable {
  /** Per id: NO_ID, BYTE_LEVEL or LITERAL. */
  kinds: Uint8Array;
  /** Id i's bytes are bytes[offsets[i]] up to bytes[offsets[i + 1]]. */
  offsets: Uint32Array;
  bytes: Uint8Array;
  /** What an id without an entry decodes to. */
  unknown: Uint8Array;
}

/**
 * The decoder's closures are made here, apart from the building: closures keep their whole scope alive, and
 * the building's scope holds the parsed vocabulary, the very maps of strings the table is meant to free.
 */
function tableDecoder({ kinds, offsets, bytes, unknown }: ByteTable, { eosTokenId, bosTokenId }: SpecialIds): TokenDecoder {
  const size = kinds.length;
  const known = (id: number) => Number.isInteger(id) && id >= 0 && id < size && kinds[id] !== NO_ID;
  return {
    decode(ids) {
      let length = 0;
      for (const id of ids) length += known(id) ? offsets[id + 1] - offsets[id] : unknown.length;
      const out = new Uint8Array(length);
      let pos = 0;
      for (const id of ids) {
        if (known(id)) {
          for (let i = offsets[id], end = offsets[id + 1]; i < end; i++) out[pos++] = bytes[i];
        } else {
          out.set(unknown, pos);
          pos += unknown.length;
        }
      }
      return utf8Lossy.decode(out);
    },
    eosTokenId,
    bosTokenId,
    vocabSize: size,
    idToToken(id) {
      if (!known(id)) return undefined;
      const entry = bytes.subarray(offsets[id], offsets[id + 1]);
      if (kinds[id] === LITERAL) return utf8Lossy.decode(entry);
      let token = '';
      for (const b of entry) token += CHAR_OF_BYTE[b];
      return token;
    },
  };
}

const utf8 = new TextEncoder();
/** The library's own settings: broken sequences become U+FFFD, and a byte-order mark is text like any other. */
const utf8Lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** A lone surrogate would not survive the trip through UTF-8 that the table takes. */
function isWellFormed(text: string): boolean {
  return utf8Lossy.decode(utf8.encode(text)) === text;
}
