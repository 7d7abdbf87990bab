import { describe, expect, it } from 'vitest';
import { buildGpt2Tokenizer } from '@mimicbot/training';
import { createTextTokenizer } from '@mimicbot/model-format';
import { IncrementalDecoder } from './incremental-decoder.js';

const tokenizer = createTextTokenizer(buildGpt2Tokenizer());

function streamed(ids: number[]): string[] {
  const decoder = new IncrementalDecoder(tokenizer);
  const pieces = ids.map((id) => decoder.push(id));
  pieces.push(decoder.flush());
  return pieces;
}

describe('incremental decoding', () => {
  it('holds back the first bytes of an emoji that GPT-2 splits over tokens, then sends it whole', () => {
    const ids = tokenizer.encode(' 🦀 ok');
    // GPT-2 has no single token for the crab: its 4 bytes come in several tokens.
    const crabTokens = ids.filter((id) => tokenizer.decode([id]).includes('\uFFFD'));
    expect(crabTokens.length).toBeGreaterThan(0);
    const pieces = streamed(ids);
    for (const piece of pieces) expect(piece).not.toContain('\uFFFD');
    expect(pieces.join('')).toBe(' 🦀 ok');
    expect(pieces).toContain(' 🦀');
  });

  it('emits plain words token by token', () => {
    const ids = tokenizer.encode('The quick brown fox');
    expect(streamed(ids)).toEqual(['The', ' quick', ' brown', ' fox', '']);
  });

  it('flushes incomplete bytes at the end as U+FFFD rather than dropping them', () => {
    const ids = tokenizer.encode('a🦀');
    const pieces = streamed(ids.slice(0, -1));
    expect(pieces.slice(0, -1).join('')).toBe('a');
    expect(pieces.at(-1)).toContain('\uFFFD');
  });

  it('streams text with several split characters equal to decoding it whole', () => {
    const text = 'héllo 👋🏽 wörld — 日本語 🎉!';
    const ids = tokenizer.encode(text);
    const pieces = streamed(ids);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) expect(piece).not.toContain('\uFFFD');
  });
});
