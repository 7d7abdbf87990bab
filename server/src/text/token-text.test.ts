import { describe, expect, it } from 'vitest';
import { buildGpt2Tokenizer } from '@mimicbot/training';
import { createTextTokenizer } from '@mimicbot/model-format';
import { formatBytes, tokenTextOf } from './token-text.js';

const tokenizer = createTextTokenizer(buildGpt2Tokenizer());
const tokenText = tokenTextOf(tokenizer);

describe('a token as logprobs shows it', () => {
  it('is its text when it decodes to whole characters', () => {
    for (const id of tokenizer.encode(' hello, world')) expect(tokenText(id)).toBe(tokenizer.decode([id]));
    expect(tokenText(tokenizer.eosTokenId)).toBe('<|endoftext|>');
  });

  it('is "bytes:" and its bytes when it holds part of a character, so the parts of one character differ', () => {
    const ids = tokenizer.encode('🦀');
    expect(ids.length).toBeGreaterThan(1);
    const shown = ids.map(tokenText);
    for (const s of shown) expect(s).toMatch(/^bytes:(\\x[0-9a-f]{2}|[ -~])+$/);
    expect(new Set(shown).size).toBe(shown.length);
    // Together they are the character's UTF-8 bytes.
    const hex = shown.map((s) => s.slice('bytes:'.length)).join('');
    expect(hex).toBe([...Buffer.from('🦀')].map((b) => `\\x${b.toString(16)}`).join(''));
  });

  it('shows bytes outside printable ASCII, and the backslash, as \\xNN', () => {
    expect(formatBytes(Uint8Array.of(0x41, 0x5c, 0xf0))).toBe('bytes:A\\x5c\\xf0');
  });
});
