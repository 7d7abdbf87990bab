import { describe, expect, it } from 'vitest';
import { buildGpt2Tokenizer, buildByteLevelTokenizer } from '@mimicbot/training';
import { createTextTokenizer } from '@mimicbot/model-format';
import { OffsetDecoder } from './offset-decoder.js';

const bytes = createTextTokenizer(buildByteLevelTokenizer()); // one token per byte
const gpt2 = createTextTokenizer(buildGpt2Tokenizer());

/** Each token's offset in the whole decoded text. */
function offsets(tokenizer: typeof bytes, ids: number[]): { text: string; at: number[] } {
  const decoder = new OffsetDecoder(tokenizer);
  let text = '';
  const at: number[] = [];
  for (const piece of [...ids.map((id) => decoder.push(id)), decoder.flush()]) {
    at.push(...piece.offsets.map((o) => text.length + o));
    text += piece.text;
  }
  return { text, at };
}

describe('OffsetDecoder', () => {
  it('places every token of plain text at its own character', () => {
    expect(offsets(bytes, [...Buffer.from('abc')])).toEqual({ text: 'abc', at: [0, 1, 2] });
  });

  it('places the bytes of one character at that character', () => {
    expect(offsets(bytes, [...Buffer.from('aé🦀b')])).toEqual({ text: 'aé🦀b', at: [0, 1, 1, 2, 2, 2, 2, 4] });
  });

  it('places a lead byte that never got its continuation at its U+FFFD, and the token after it after it', () => {
    expect(offsets(bytes, [0x61, 0xc3, 0x3f])).toEqual({ text: 'a\uFFFD?', at: [0, 1, 2] });
    expect(offsets(bytes, [0x61, 0xc3])).toEqual({ text: 'a\uFFFD', at: [0, 1] }); // cut short at the end
  });

  it('gives the offsets of real GPT-2 merges, whatever the pieces emitted', () => {
    const ids = gpt2.encode('Hi 🦀 there');
    const { text, at } = offsets(gpt2, ids);
    expect(text).toBe('Hi 🦀 there');
    expect(at).toHaveLength(ids.length);
    expect(at.at(-1)).toBe(text.indexOf(' there'));
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});
