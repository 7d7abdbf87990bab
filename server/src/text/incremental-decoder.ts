import type { TextTokenizer } from './tokenizer.js';

const REPLACEMENT_CHARACTER = '\uFFFD';

/**
 * Turns a stream of token ids into a stream of text without ever emitting half a character. Byte-level BPE
 * can split one character (an emoji is 4 UTF-8 bytes) over several tokens; decoding such a prefix ends in
 * U+FFFD. We hold those tokens back until the text decodes cleanly, the way Hugging Face TGI does it:
 * decode a short window from `prefixOffset` and emit only what follows the already-emitted part.
 */
export class IncrementalDecoder {
  private readonly ids: number[] = [];
  /** Start of the window decoded for context (tokenizers that drop a leading space need it). */
  private prefixOffset = 0;
  /** Ids before this offset have been emitted as text. */
  private readOffset = 0;

  constructor(private readonly tokenizer: Pick<TextTokenizer, 'decode'>) {}

  /** Adds one id; returns the text it completes ('' while a character is still incomplete). */
  push(id: number): string {
    this.ids.push(id);
    const emitted = this.tokenizer.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const text = this.tokenizer.decode(this.ids.slice(this.prefixOffset));
    if (text.length <= emitted.length || text.endsWith(REPLACEMENT_CHARACTER)) return '';
    this.prefixOffset = this.readOffset;
    this.readOffset = this.ids.length;
    return text.slice(emitted.length);
  }

  /** At the end of generation: whatever is still held back, incomplete bytes shown as U+FFFD. */
  flush(): string {
    const emitted = this.tokenizer.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const text = this.tokenizer.decode(this.ids.slice(this.prefixOffset));
    this.prefixOffset = this.readOffset = this.ids.length;
    return text.slice(emitted.length);
  }
}
