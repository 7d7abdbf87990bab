/**
 * Hugging Face's GPT-2 `config.json` (+ `generation_config.json`) <-> Gpt2Config, with one set of rules for
 * every reader (the server, `sample`, `export`, `convert`, `train --from`):
 * - the keys of `transformers.GPT2Config`, and the aliases its `attribute_map` accepts (`hidden_size`,
 *   `num_attention_heads`, `num_hidden_layers`, `max_position_embeddings`); old configs' `n_ctx` when
 *   there is no `n_positions`;
 * - what transformers would default (layer_norm_epsilon 1e-5, gelu_new, eos 50256) is defaulted; the
 *   shape has no sensible default and must be there; bos defaults to eos (GPT-2's `<|endoftext|>` is both);
 * - `eos_token_id` may be a list (generation ends at the first); config.json wins over generation_config.json;
 * - variants whose maths our graphs do not implement are refused, not run wrongly;
 * - sizes are bounded (CONFIG_LIMITS), so an absurd value is one line naming the field, not an allocation
 *   failure later.
 */
import { gpt2ParameterCount, type Gpt2Config } from './gpt2-config.js';
import { ModelFolderError } from './model-folder-error.js';

/**
 * The largest sizes accepted: far above any GPT-2 (XL: 48 layers, 25 heads, 1600 channels, 1024 positions,
 * 50,257 ids, 1.56e9 parameters), low enough that every tensor fits a typed array.
 */
export const CONFIG_LIMITS = {
  n_layer: 256,
  n_head: 256,
  n_embd: 16_384,
  n_positions: 131_072,
  vocab_size: 1_048_576,
  /** 2^32 parameters: 16 GiB of float32, almost 3x GPT-2 XL. */
  parameters: 2 ** 32,
} as const;

/** The HF class a checkpoint's keys come from: `h.0…` (GPT2Model) or `transformer.h.0…` (GPT2LMHeadModel). */
export type CheckpointLayout = 'GPT2Model' | 'GPT2LMHeadModel';

/** transformers' GPT2Config defaults for the special tokens (`<|endoftext|>` in GPT-2's vocabulary). */
const GPT2_END_OF_TEXT = 50256;

const GPT2_124M_HINT: Record<string, number> = { n_layer: 12, n_head: 12, n_embd: 768, n_positions: 1024, vocab_size: 50257 };

type Json = Record<string, unknown>;

/**
 * Reads a parsed config.json (and, when the folder has one, generation_config.json). `file` names
 * config.json in errors.
 */
export function parseHfConfig(json: unknown, file: string, generation: Json = {}): Gpt2Config {
  const invalid = (problem: string, field?: string) => new ModelFolderError('MODEL_CONFIG_INVALID', file, problem, { field });
  const unsupported = (problem: string, field: string) => new ModelFolderError('MODEL_CONFIG_UNSUPPORTED', file, problem, { field });
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('expected a JSON object');
  const hf = json as Json;

  if (hf.model_type === undefined) throw invalid('missing key "model_type" (expected "gpt2")', 'model_type');
  if (hf.model_type !== 'gpt2') throw unsupported(`model_type ${JSON.stringify(hf.model_type)} is not supported (only "gpt2")`, 'model_type');

  /** A size from the first of `keys` present; aliases that disagree are refused rather than one picked. */
  const size = (keys: string[], limit: number): number => {
    const [key] = keys;
    const present = keys.filter((k) => hf[k] !== undefined && hf[k] !== null);
    if (present.length === 0) {
      const hint = GPT2_124M_HINT[key] === undefined ? '' : ` (GPT-2 124M has "${key}": ${GPT2_124M_HINT[key]})`;
      throw invalid(`missing key "${key}"${hint}`, key);
    }
    const [found] = present;
    const value = hf[found];
    if (!Number.isSafeInteger(value) || (value as number) <= 0) {
      throw invalid(`"${found}" must be a positive integer, got ${JSON.stringify(value)}`, found);
    }
    for (const other of present.slice(1)) {
      if (hf[other] !== value) throw invalid(`"${found}" (${value}) and "${other}" (${JSON.stringify(hf[other])}) disagree`, other);
    }
    if ((value as number) > limit) throw invalid(`"${found}" ${value} is more than the ${limit} supported`, found);
    return value as number;
  };
  const L = CONFIG_LIMITS;
  const nLayer = size(['n_layer', 'num_hidden_layers'], L.n_layer);
  const nHead = size(['n_head', 'num_attention_heads'], L.n_head);
  const nEmbd = size(['n_embd', 'hidden_size'], L.n_embd);
  const vocabSize = size(['vocab_size'], L.vocab_size);
  // Old configs name the context n_ctx; transformers reads n_positions (alias max_position_embeddings).
  const legacyContext = hf.n_positions === undefined && hf.max_position_embeddings === undefined && hf.n_ctx !== undefined;
  const nPositions = size(legacyContext ? ['n_ctx'] : ['n_positions', 'max_position_embeddings'], L.n_positions);
  if (nEmbd % nHead !== 0) throw invalid(`"n_embd" ${nEmbd} is not divisible by "n_head" ${nHead}`, 'n_embd');
  const parameters = gpt2ParameterCount({ vocabSize, nPositions, nEmbd, nLayer });
  if (parameters > L.parameters) {
    throw invalid(
      `n_layer ${nLayer}, n_embd ${nEmbd}, vocab_size ${vocabSize} and n_positions ${nPositions} make ${parameters.toExponential(2)} parameters, ` +
        `more than the ${L.parameters.toExponential(2)} supported`,
      'n_embd',
    );
  }

  const layerNormEpsilon = hf.layer_norm_epsilon ?? 1e-5;
  if (typeof layerNormEpsilon !== 'number' || !(layerNormEpsilon > 0 && layerNormEpsilon < 1)) {
    throw invalid(`"layer_norm_epsilon" must be a number between 0 and 1, got ${JSON.stringify(layerNormEpsilon)}`, 'layer_norm_epsilon');
  }

  const tokenIds = (key: string, fallback: number): number[] => {
    const fromConfig = hf[key] ?? undefined;
    const fromGeneration = generation[key] ?? undefined;
    const raw = fromConfig ?? fromGeneration ?? fallback;
    const where = fromConfig === undefined && fromGeneration !== undefined ? ' (generation_config.json)' : '';
    const ids = Array.isArray(raw) ? raw : [raw];
    if (ids.length === 0 || !ids.every((id) => Number.isSafeInteger(id) && id >= 0 && id < vocabSize)) {
      throw invalid(`"${key}"${where} ${JSON.stringify(raw)} is not a token id below vocab_size ${vocabSize}`, key);
    }
    return ids as number[];
  };
  const [eosTokenId] = tokenIds('eos_token_id', GPT2_END_OF_TEXT);
  const [bosTokenId] = tokenIds('bos_token_id', eosTokenId);

  // Variants whose maths our graphs do not implement: refuse them rather than run them wrongly.
  const activation = hf.activation_function ?? 'gelu_new';
  // gelu_pytorch_tanh is the same tanh approximation under another name.
  if (activation !== 'gelu_new' && activation !== 'gelu_pytorch_tanh') {
    throw unsupported(`activation_function ${JSON.stringify(activation)} is not supported (only "gelu_new")`, 'activation_function');
  }
  if (hf.n_inner !== undefined && hf.n_inner !== null && hf.n_inner !== 4 * nEmbd) {
    throw unsupported(`n_inner ${JSON.stringify(hf.n_inner)} is not supported (only 4 * n_embd = ${4 * nEmbd})`, 'n_inner');
  }
  if (hf.scale_attn_weights === false) throw unsupported('scale_attn_weights false is not supported', 'scale_attn_weights');
  if (hf.scale_attn_by_inverse_layer_idx === true) throw unsupported('scale_attn_by_inverse_layer_idx true is not supported', 'scale_attn_by_inverse_layer_idx');

  return { vocabSize, nPositions, nEmbd, nLayer, nHead, layerNormEpsilon, bosTokenId, eosTokenId };
}

/** A config.json that transformers' GPT2Config and transformers.js load, with the defaults transformers writes itself. */
export function toHfConfig(config: Gpt2Config, layout: CheckpointLayout = 'GPT2LMHeadModel'): Json {
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
    // transformers.js keeps the KV cache only when the config says so.
    use_cache: true,
  };
}

export function toGenerationConfig(config: Gpt2Config): Json {
  return { bos_token_id: config.bosTokenId, eos_token_id: config.eosTokenId };
}
