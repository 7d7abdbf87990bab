import { CheckpointError } from '../errors.js';
import type { Gpt2Config } from '../model/gpt2-config.js';

/**
 * Hugging Face `config.json` for GPT-2 <-> our Gpt2Config. Keys that transformers' GPT2Config gives a default
 * (layer_norm_epsilon 1e-5, bos/eos 50256, gelu_new) take that default when absent, as transformers would;
 * the shape keys have no sensible default and must be present.
 */
export function gpt2ConfigFromHf(json: unknown, file: string): Gpt2Config {
  const bad = (problem: string) => new CheckpointError('CHECKPOINT_BAD_CONFIG', file, problem);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('not a JSON object');
  const hf = json as Record<string, unknown>;

  if (hf.model_type === undefined) throw bad('missing key "model_type" (expected "gpt2")');
  if (hf.model_type !== 'gpt2') {
    throw new CheckpointError(
      'CHECKPOINT_UNKNOWN_MODEL_TYPE',
      file,
      `unknown model_type ${JSON.stringify(hf.model_type)}: only "gpt2" checkpoints can be converted`,
    );
  }

  const count = (key: string, fallback?: number): number => {
    const value = hf[key] ?? fallback;
    if (value === undefined) throw bad(`missing key "${key}"`);
    if (!Number.isSafeInteger(value) || (value as number) <= 0) throw bad(`"${key}" must be a positive integer, got ${JSON.stringify(value)}`);
    return value as number;
  };
  const nLayer = count('n_layer');
  const nHead = count('n_head');
  const nEmbd = count('n_embd');
  const vocabSize = count('vocab_size');
  // Old configs name the context length n_ctx; transformers reads n_positions for the position table.
  const nPositions = hf.n_positions === undefined ? count('n_ctx') : count('n_positions');
  if (nEmbd % nHead !== 0) throw bad(`n_embd ${nEmbd} is not divisible by n_head ${nHead}`);

  const layerNormEpsilon = hf.layer_norm_epsilon ?? 1e-5;
  if (typeof layerNormEpsilon !== 'number' || !(layerNormEpsilon > 0)) {
    throw bad(`"layer_norm_epsilon" must be a positive number, got ${JSON.stringify(layerNormEpsilon)}`);
  }
  const tokenId = (key: string): number => {
    const id = hf[key] ?? 50256;
    if (!Number.isSafeInteger(id) || (id as number) < 0 || (id as number) >= vocabSize) {
      throw bad(`"${key}" ${JSON.stringify(id)} is not a token id below vocab_size ${vocabSize}`);
    }
    return id as number;
  };

  // Variants whose maths our graph does not implement: refuse them rather than convert them wrongly.
  const activation = hf.activation_function ?? 'gelu_new';
  if (activation !== 'gelu_new') throw bad(`activation_function ${JSON.stringify(activation)} is not supported (only "gelu_new")`);
  if (hf.n_inner !== undefined && hf.n_inner !== null && hf.n_inner !== 4 * nEmbd) {
    throw bad(`n_inner ${JSON.stringify(hf.n_inner)} is not supported (only 4 * n_embd = ${4 * nEmbd})`);
  }
  if (hf.scale_attn_weights === false) throw bad('scale_attn_weights false is not supported');
  if (hf.scale_attn_by_inverse_layer_idx === true) throw bad('scale_attn_by_inverse_layer_idx true is not supported');

  return {
    vocabSize,
    nPositions,
    nEmbd,
    nLayer,
    nHead,
    layerNormEpsilon,
    bosTokenId: tokenId('bos_token_id'),
    eosTokenId: tokenId('eos_token_id'),
  };
}

/** The HF class a checkpoint's keys come from: `h.0…` (GPT2Model) or `transformer.h.0…` (GPT2LMHeadModel). */
export type CheckpointLayout = 'GPT2Model' | 'GPT2LMHeadModel';

/** A config.json that transformers' GPT2Config loads, with the defaults it would write itself. */
export function hfConfigFromGpt2(config: Gpt2Config, layout: CheckpointLayout = 'GPT2LMHeadModel'): Record<string, unknown> {
  return {
    architectures: [layout],
    model_type: 'gpt2',
    vocab_size: config.vocabSize,
    n_positions: config.nPositions,
    n_ctx: config.nPositions,
    n_embd: config.nEmbd,
    n_layer: config.nLayer,
    n_head: config.nHead,
    n_inner: null,
    activation_function: 'gelu_new',
    layer_norm_epsilon: config.layerNormEpsilon,
    bos_token_id: config.bosTokenId,
    eos_token_id: config.eosTokenId,
    initializer_range: 0.02,
    resid_pdrop: 0.1,
    embd_pdrop: 0.1,
    attn_pdrop: 0.1,
    scale_attn_weights: true,
    tie_word_embeddings: true,
  };
}
