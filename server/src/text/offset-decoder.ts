import { IncrementalDecoder } from './incremental-decoder.js';
import type { TextTokenizer } from './tokenizer.js';

/**
 * The IncrementalDecoder, also saying where each token's text starts in the text it emits. Tokens held
 * back (part of a character) get their offsets when the text they belong to comes out: token j of the
 * held group starts where the text of the group's first j tokens stops agreeing with the emitted text. So
 * the two halves of "é" both start at the "é", while a lone lead byte that turned out invalid (emitted as
 * U+FFFD) keeps its own place and the token after it starts after it.
 */
export class OffsetDecoder {
  private readonly decoder: IncrementalDecoder;
  private group: number[] = [];

  constructor(private readonly tokenizer: Pick<TextTokenizer, 'decode'>) {
    this.decoder = new IncrementalDecoder(tokenizer);
  }

  /** `text` as IncrementalDecoder.push; `offsets`: when text comes out, one per token of the group it ends (in `text`). */
  push(id: number): { text: string; offsets: number[] } {
    this.group.push(id);
    return this.place(this.decoder.push(id));
  }

  flush(): { text: string; offsets: number[] } {
    return this.place(this.decoder.flush());
  }

  private place(text: string): { text: string; offsets: number[] } {
    if (text === '') return { text, offsets: [] };
    const offsets = this.group.map((_, j) => (j === 0 ? 0 : agreeingLength(this.tokenizer.decode(this.group.slice(0, j)), text)));
    this.group = [];
    return { text, offsets };
  }
}

function agreeingLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
