/** Tiny random GPT-2s for tests. */
import type { Gpt2Config, Gpt2Weights } from '../src/model/gpt2-config.js';
import { initGpt2Weights } from '../src/model/init-weights.js';
import { tinyGpt2Config } from '../src/model/tiny-config.js';

/**
 * A tiny GPT-2 whose matrices are 10x GPT-2's init scale: at std 0.02 a random model's logits are nearly
 * flat and greedy decoding repeats one token, which would make "same greedy tokens" a weak check.
 */
export function tinyTestModel(seed = 7, overrides: Partial<Gpt2Config> = {}): { config: Gpt2Config; weights: Gpt2Weights } {
  const config = tinyGpt2Config(overrides);
  const weights = initGpt2Weights(config, seed);
  for (const [name, w] of weights) {
    if (name.endsWith('.weight') && !name.includes('ln_')) for (let i = 0; i < w.length; i++) w[i] *= 10;
  }
  return { config, weights };
}
