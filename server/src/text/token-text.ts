/**
 * How a single token is shown in `logprobs.tokens` and as a `top_logprobs` key. A token that decodes to whole
 * characters is its text. A token holding only part of a multi-byte character (byte-level BPE splits emoji
 * and accented letters) is shown as OpenAI shows it: `bytes:` and its bytes, each byte outside printable
 * ASCII as `\xNN`, so two different partial tokens never look alike.
 */
import { byteLevelBytes } from '@mimicbot/model-format';
import type { TextTokenizer } from './tokenizer.js';

const REPLACEMENT_CHARACTER = '\uFFFD';

export function formatBytes(bytes: Uint8Array): string {
  let out = 'bytes:';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

/** A memoised `id -> shown text` for one tokenizer. */
export function tokenTextOf(tokenizer: Pick<TextTokenizer, 'decode' | 'idToToken'>): (id: number) => string {
  const cache = new Map<number, string>();
  return (id) => {
    let text = cache.get(id);
    if (text === undefined) {
      text = tokenizer.decode([id]);
      if (text.includes(REPLACEMENT_CHARACTER)) {
        const entry = tokenizer.idToToken?.(id);
        const bytes = entry === undefined ? undefined : byteLevelBytes(entry);
        // A token that is U+FFFD itself holds valid bytes: it keeps its text.
        if (bytes && !isValidUtf8(bytes)) text = formatBytes(bytes);
      }
      cache.set(id, text);
    }
    return text;
  };
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
