import { describe, expect, it } from 'vitest';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { gpt2ConfigFromHf, hfConfigFromGpt2 } from './hf-config.js';

const file = 'ckpt/config.json';
const gpt2Small = { model_type: 'gpt2', n_layer: 12, n_head: 12, n_embd: 768, n_positions: 1024, vocab_size: 50257 };

describe('gpt2ConfigFromHf', () => {
  it('round-trips the config we write', () => {
    const config = tinyGpt2Config();
    expect(gpt2ConfigFromHf(hfConfigFromGpt2(config), file)).toEqual(config);
  });

  it("fills transformers' defaults for epsilon and the special token ids", () => {
    expect(gpt2ConfigFromHf(gpt2Small, file)).toEqual({
      vocabSize: 50257,
      nPositions: 1024,
      nEmbd: 768,
      nLayer: 12,
      nHead: 12,
      layerNormEpsilon: 1e-5,
      bosTokenId: 50256,
      eosTokenId: 50256,
    });
  });

  it.each([
    [{ ...gpt2Small, n_embd: 770 }, 'n_embd 770 is not divisible by n_head 12'],
    [{ ...gpt2Small, n_layer: 0 }, '"n_layer" must be a positive integer, got 0'],
    [{ ...gpt2Small, n_layer: '12' }, '"n_layer" must be a positive integer, got "12"'],
    [{ ...gpt2Small, n_positions: undefined }, 'missing key "n_ctx"'],
    [{ ...gpt2Small, vocab_size: 257 }, '"bos_token_id" 50256 is not a token id below vocab_size 257'],
    [{ ...gpt2Small, activation_function: 'relu' }, 'activation_function "relu" is not supported (only "gelu_new")'],
    [{ ...gpt2Small, n_inner: 1000 }, 'n_inner 1000 is not supported'],
    [{ ...gpt2Small, scale_attn_by_inverse_layer_idx: true }, 'scale_attn_by_inverse_layer_idx true is not supported'],
    [{ ...gpt2Small, model_type: undefined }, 'missing key "model_type"'],
    [[1, 2], 'not a JSON object'],
  ])('rejects %j with a message naming the key', (hf, problem) => {
    expect(() => gpt2ConfigFromHf(hf, file)).toThrow(`${file}: ${problem}`);
  });
});
