import type { Gpt2Config } from './gpt2-config.js';

/** A GPT-2 small enough for tests and the CLI's default `init`: 2 layers, 2 heads, 32 channels. */
export function tinyGpt2Config(overrides: Partial<Gpt2Config> = {}): Gpt2Config {
  return {
    vocabSize: 257, // the byte-level tokenizer: 256 bytes + <|endoftext|>
    nPositions: 64,
    nEmbd: 32,
    nLayer: 2,
    nHead: 2,
    layerNormEpsilon: 1e-5,
    bosTokenId: 256,
    eosTokenId: 256,
    ...overrides,
  };
}
