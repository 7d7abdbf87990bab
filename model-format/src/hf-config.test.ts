import { describe, expect, it } from 'vitest';
import type { Gpt2Config } from './gpt2-config.js';
import { CONFIG_LIMITS, parseHfConfig, toGenerationConfig, toHfConfig } from './hf-config.js';
import { ModelFolderError } from './model-folder-error.js';

const file = 'ckpt/config.json';
const gpt2Small = { model_type: 'gpt2', n_layer: 12, n_head: 12, n_embd: 768, n_positions: 1024, vocab_size: 50257 };
const tiny: Gpt2Config = { vocabSize: 257, nPositions: 64, nEmbd: 32, nLayer: 2, nHead: 2, layerNormEpsilon: 1e-5, bosTokenId: 256, eosTokenId: 256 };
const GPT2_SMALL: Gpt2Config = { vocabSize: 50257, nPositions: 1024, nEmbd: 768, nLayer: 12, nHead: 12, layerNormEpsilon: 1e-5, bosTokenId: 50256, eosTokenId: 50256 };

function errorOf(run: () => unknown): ModelFolderError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFolderError);
    return error as ModelFolderError;
  }
  throw new Error('expected an error');
}

describe('parseHfConfig', () => {
  it('round-trips the config we write', () => {
    expect(parseHfConfig(toHfConfig(tiny), file)).toEqual(tiny);
    expect(parseHfConfig(toHfConfig({ ...tiny, layerNormEpsilon: 1e-6, bosTokenId: 3 }, 'GPT2Model'), file)).toEqual({ ...tiny, layerNormEpsilon: 1e-6, bosTokenId: 3 });
  });

  it("fills transformers' defaults for epsilon and the special token ids", () => {
    expect(parseHfConfig(gpt2Small, file)).toEqual(GPT2_SMALL);
  });

  it("reads transformers' aliases and old configs' n_ctx", () => {
    const aliased = { model_type: 'gpt2', num_hidden_layers: 12, num_attention_heads: 12, hidden_size: 768, max_position_embeddings: 1024, vocab_size: 50257 };
    expect(parseHfConfig(aliased, file)).toEqual(GPT2_SMALL);
    expect(parseHfConfig({ ...gpt2Small, n_positions: undefined, n_ctx: 1024 }, file)).toEqual(GPT2_SMALL);
    // n_positions is what transformers reads for the position table; n_ctx then only repeats it
    expect(parseHfConfig({ ...gpt2Small, n_ctx: 2048 }, file).nPositions).toBe(1024);
  });

  it('takes eos from generation_config.json or a list, and bos defaults to eos', () => {
    expect(parseHfConfig(gpt2Small, file, { eos_token_id: [7, 8] })).toMatchObject({ eosTokenId: 7, bosTokenId: 7 });
    expect(parseHfConfig({ ...gpt2Small, eos_token_id: 5 }, file, { eos_token_id: 7 })).toMatchObject({ eosTokenId: 5, bosTokenId: 5 });
    expect(parseHfConfig({ ...gpt2Small, bos_token_id: null, eos_token_id: 9 }, file)).toMatchObject({ eosTokenId: 9, bosTokenId: 9 });
  });

  it.each([
    [{ ...gpt2Small, n_embd: 770 }, 'MODEL_CONFIG_INVALID', 'n_embd', '"n_embd" 770 is not divisible by "n_head" 12'],
    [{ ...gpt2Small, n_layer: 0 }, 'MODEL_CONFIG_INVALID', 'n_layer', '"n_layer" must be a positive integer, got 0'],
    [{ ...gpt2Small, n_layer: '12' }, 'MODEL_CONFIG_INVALID', 'n_layer', '"n_layer" must be a positive integer, got "12"'],
    [{ ...gpt2Small, n_layer: 1.5 }, 'MODEL_CONFIG_INVALID', 'n_layer', '"n_layer" must be a positive integer, got 1.5'],
    [{ ...gpt2Small, n_head: undefined }, 'MODEL_CONFIG_INVALID', 'n_head', 'missing key "n_head" (GPT-2 124M has "n_head": 12)'],
    [{ ...gpt2Small, n_positions: undefined }, 'MODEL_CONFIG_INVALID', 'n_positions', 'missing key "n_positions" (GPT-2 124M has "n_positions": 1024)'],
    [{ ...gpt2Small, hidden_size: 1024 }, 'MODEL_CONFIG_INVALID', 'hidden_size', '"n_embd" (768) and "hidden_size" (1024) disagree'],
    [{ ...gpt2Small, vocab_size: 257 }, 'MODEL_CONFIG_INVALID', 'eos_token_id', '"eos_token_id" 50256 is not a token id below vocab_size 257'],
    [{ ...gpt2Small, eos_token_id: 300, vocab_size: 257 }, 'MODEL_CONFIG_INVALID', 'eos_token_id', '"eos_token_id" 300 is not a token id below vocab_size 257'],
    [{ ...gpt2Small, eos_token_id: 1, bos_token_id: -1 }, 'MODEL_CONFIG_INVALID', 'bos_token_id', '"bos_token_id" -1 is not a token id below vocab_size 50257'],
    [{ ...gpt2Small, layer_norm_epsilon: 0 }, 'MODEL_CONFIG_INVALID', 'layer_norm_epsilon', '"layer_norm_epsilon" must be a number between 0 and 1, got 0'],
    [{ ...gpt2Small, activation_function: 'relu' }, 'MODEL_CONFIG_UNSUPPORTED', 'activation_function', 'activation_function "relu" is not supported (only "gelu_new")'],
    [{ ...gpt2Small, n_inner: 1000 }, 'MODEL_CONFIG_UNSUPPORTED', 'n_inner', 'n_inner 1000 is not supported (only 4 * n_embd = 3072)'],
    [{ ...gpt2Small, scale_attn_weights: false }, 'MODEL_CONFIG_UNSUPPORTED', 'scale_attn_weights', 'scale_attn_weights false is not supported'],
    [{ ...gpt2Small, scale_attn_by_inverse_layer_idx: true }, 'MODEL_CONFIG_UNSUPPORTED', 'scale_attn_by_inverse_layer_idx', 'scale_attn_by_inverse_layer_idx true is not supported'],
    [{ ...gpt2Small, model_type: undefined }, 'MODEL_CONFIG_INVALID', 'model_type', 'missing key "model_type" (expected "gpt2")'],
    [{ ...gpt2Small, model_type: 'llama' }, 'MODEL_CONFIG_UNSUPPORTED', 'model_type', 'model_type "llama" is not supported (only "gpt2")'],
    [[1, 2], 'MODEL_CONFIG_INVALID', undefined, 'expected a JSON object'],
  ])('rejects %j with a message naming the file and the key', (hf, code, field, problem) => {
    const error = errorOf(() => parseHfConfig(hf, file));
    expect(error).toMatchObject({ code, field, file, message: `${file}: ${problem}` });
  });

  it('names generation_config.json when the bad id comes from it', () => {
    expect(errorOf(() => parseHfConfig(gpt2Small, file, { eos_token_id: ['x'] })).message).toBe(
      `${file}: "eos_token_id" (generation_config.json) ["x"] is not a token id below vocab_size 50257`,
    );
  });

  it.each([
    ['n_layer', 1e15, `"n_layer" 1000000000000000 is more than the ${CONFIG_LIMITS.n_layer} supported`],
    ['vocab_size', 1e12, `"vocab_size" 1000000000000 is more than the ${CONFIG_LIMITS.vocab_size} supported`],
    ['n_positions', 1e9, `"n_positions" 1000000000 is more than the ${CONFIG_LIMITS.n_positions} supported`],
    ['n_head', 2 ** 53, '"n_head" must be a positive integer, got 9007199254740992'],
  ])('refuses an absurd %s (%d) in one line naming the field', (key, value, problem) => {
    const error = errorOf(() => parseHfConfig({ ...gpt2Small, [key]: value }, file));
    expect(error).toMatchObject({ code: 'MODEL_CONFIG_INVALID', field: key, message: `${file}: ${problem}` });
  });

  it('refuses sizes that are each in bounds but together too many parameters', () => {
    const error = errorOf(() => parseHfConfig({ ...gpt2Small, n_layer: 256, n_embd: 16384, n_head: 128 }, file));
    expect(error.message).toBe(`${file}: n_layer 256, n_embd 16384, vocab_size 50257 and n_positions 1024 make 8.26e+11 parameters, more than the 4.29e+9 supported`);
  });

  it('accepts GPT-2 XL, the largest GPT-2', () => {
    expect(parseHfConfig({ ...gpt2Small, n_layer: 48, n_head: 25, n_embd: 1600 }, file)).toMatchObject({ nLayer: 48, nEmbd: 1600 });
  });
});

describe('toHfConfig', () => {
  it('writes the keys transformers and transformers.js read, with the cache on', () => {
    expect(toHfConfig(tiny)).toMatchObject({
      architectures: ['GPT2LMHeadModel'],
      model_type: 'gpt2',
      n_layer: 2,
      n_head: 2,
      n_embd: 32,
      n_positions: 64,
      n_ctx: 64,
      vocab_size: 257,
      bos_token_id: 256,
      eos_token_id: 256,
      activation_function: 'gelu_new',
      use_cache: true,
    });
    expect(toHfConfig(tiny, 'GPT2Model').architectures).toEqual(['GPT2Model']);
    expect(toGenerationConfig(tiny)).toEqual({ bos_token_id: 256, eos_token_id: 256 });
  });
});
