/**
 * Our own reference encoder for a learned byte-level BPE, written from GPT-2's `encoder.py`: pre-tokenise,
 * then in each word repeatedly merge the adjacent pair with the lowest rank (the earliest learned), every
 * occurrence left to right, until no learned pair is left. `<|endoftext|>` in the text is the special id.
 * The tokenizer.json we write must make @huggingface/tokenizers give exactly these ids.
 */
import { END_OF_TEXT } from '../src/tokenizer/tokenizer-json.js';
import { pairKey, type LearnedBpe } from '../src/tokenizer/learned-bpe.js';
import { preTokenize, wordBytes } from '../src/tokenizer/pre-tokenize.js';
import { mergePair } from '../src/tokenizer/train-bpe.js';

export class BpeEncoder {
  private readonly ranks = new Map<number, { rank: number; result: number }>();
  private readonly cache = new Map<string, number[]>();
  readonly endOfTextId: number;

  constructor(private readonly learned: LearnedBpe) {
    learned.merges.forEach(({ left, right, result }, rank) => {
      const key = pairKey(left, right);
      if (!this.ranks.has(key)) this.ranks.set(key, { rank, result });
    });
    this.endOfTextId = learned.tokens.length;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    text.split(END_OF_TEXT).forEach((part, i) => {
      if (i > 0) ids.push(this.endOfTextId);
      for (const word of preTokenize(part)) ids.push(...this.encodeWord(word));
    });
    return ids;
  }

  decode(ids: readonly number[]): string {
    const parts: Uint8Array[] = ids.map((id) => (id === this.endOfTextId ? new TextEncoder().encode(END_OF_TEXT) : this.learned.tokens[id]));
    return Buffer.concat(parts).toString('utf8');
  }

  private encodeWord(word: string): number[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    let symbols = Array.from(wordBytes(word));
    for (;;) {
      let best: { rank: number; result: number; left: number; right: number } | undefined;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const merge = this.ranks.get(pairKey(symbols[i], symbols[i + 1]));
        if (merge && (!best || merge.rank < best.rank)) best = { ...merge, left: symbols[i], right: symbols[i + 1] };
      }
      if (!best) break;
      symbols = mergePair(symbols, best.left, best.right, best.result)!;
    }
    if (this.cache.size < 100_000) this.cache.set(word, symbols);
    return symbols;
  }
}
