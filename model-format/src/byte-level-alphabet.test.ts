import { describe, expect, it } from 'vitest';
import { byteLevelBytes, byteOfCharCode, CHAR_OF_BYTE } from './byte-level-alphabet.js';

describe('the byte-level alphabet', () => {
  it('reads byte-level vocabulary entries back to bytes, and refuses what is not one', () => {
    expect(byteLevelBytes('Ġhi')).toEqual(Uint8Array.of(0x20, 0x68, 0x69));
    expect(byteLevelBytes('<|endoftext|>')).toEqual(Uint8Array.from(Buffer.from('<|endoftext|>')));
    expect(byteLevelBytes('▁word')).toBeUndefined(); // SentencePiece's space is not in the byte alphabet
  });

  it('maps every byte to one character and back', () => {
    expect(new Set(CHAR_OF_BYTE).size).toBe(256);
    CHAR_OF_BYTE.forEach((char, b) => expect(byteOfCharCode(char.charCodeAt(0))).toBe(b));
    expect(byteOfCharCode('▁'.charCodeAt(0))).toBe(-1);
  });
});
