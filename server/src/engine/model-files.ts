/**
 * Finding and describing what a model folder holds: which ONNX graph to run, the GPT-2 hyper-parameters
 * from `config.json`, and, from the graph's own input and output names, which decoder contract it speaks.
 * No onnxruntime here; the runtime passes the session's names in.
 */
import type { ModelConfig } from './types.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ModelLoadError } from './errors.js';

/**
 * Our converter's graph shaped for this server (new K/V rows out, last-position logits only). Keep in step
 * with `SERVER_DECODER_FILE` in `training/src/onnx/gpt2-server-decoder.ts`.
 */
export const SERVER_DECODER_FILE = 'server_decoder.onnx';

/** Where a graph may live, in the order we prefer them. */
export const GRAPH_CANDIDATES = [
  SERVER_DECODER_FILE,
  'model.onnx',
  'onnx/model.onnx',
  'onnx/model_quantized.onnx',
  'onnx/decoder_model_merged.onnx',
] as const;

export type { ModelConfig };

export function findModelGraph(modelDir: string): string {
  if (!existsSync(modelDir) || !statSync(modelDir).isDirectory()) {
    throw new ModelLoadError('MODEL_DIR_NOT_FOUND', `${modelDir}: no such folder. Set MODEL_DIR to a model folder (one with config.json and model.onnx).`);
  }
  for (const candidate of GRAPH_CANDIDATES) {
    const path = join(modelDir, candidate);
    if (existsSync(path)) return path;
  }
  throw new ModelLoadError(
    'MODEL_GRAPH_NOT_FOUND',
    `${modelDir}: no ONNX graph found (looked for ${GRAPH_CANDIDATES.join(', ')}). Export the model with the training package or point MODEL_DIR at a folder that has one.`,
  );
}

export function readModelConfig(modelDir: string): ModelConfig {
  const file = join(modelDir, 'config.json');
  if (!existsSync(file)) {
    throw new ModelLoadError('MODEL_CONFIG_NOT_FOUND', `${file}: missing. A model folder needs the Hugging Face config.json written beside the graph.`);
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new ModelLoadError('MODEL_CONFIG_INVALID', `${file}: not valid JSON (${(cause as Error).message}). Rewrite it from the training package.`, { cause });
  }
  if (typeof json !== 'object' || json === null) throw new ModelLoadError('MODEL_CONFIG_INVALID', `${file}: not a JSON object.`);
  const generation = readOptionalJson(join(modelDir, 'generation_config.json'));
  const int = (keys: string[], fallback?: number): number => {
    for (const key of keys) {
      const value = json[key] ?? generation[key];
      if (Array.isArray(value) && Number.isInteger(value[0])) return value[0] as number; // eos_token_id may be a list
      if (Number.isInteger(value) && (value as number) >= 0) return value as number;
      if (value !== undefined) throw new ModelLoadError('MODEL_CONFIG_INVALID', `${file}: "${key}" must be a non-negative integer, got ${JSON.stringify(value)}.`);
    }
    if (fallback !== undefined) return fallback;
    throw new ModelLoadError('MODEL_CONFIG_INVALID', `${file}: missing "${keys[0]}". Add it (GPT-2 124M has ${GPT2_HINTS[keys[0]] ?? 'see its config.json'}).`);
  };
  const nEmbd = int(['n_embd', 'hidden_size']);
  const nHead = int(['n_head', 'num_attention_heads']);
  if (nHead === 0 || nEmbd % nHead !== 0) throw new ModelLoadError('MODEL_CONFIG_INVALID', `${file}: n_embd (${nEmbd}) must be a multiple of n_head (${nHead}).`);
  const eosTokenId = int(['eos_token_id']);
  return {
    nLayer: int(['n_layer', 'num_hidden_layers']),
    nHead,
    nEmbd,
    vocabSize: int(['vocab_size']),
    nPositions: int(['n_positions', 'n_ctx', 'max_position_embeddings']),
    eosTokenId,
    bosTokenId: int(['bos_token_id'], eosTokenId),
  };
}

const GPT2_HINTS: Record<string, string> = {
  n_layer: '"n_layer": 12',
  n_head: '"n_head": 12',
  n_embd: '"n_embd": 768',
  vocab_size: '"vocab_size": 50257',
  n_positions: '"n_positions": 1024',
  eos_token_id: '"eos_token_id": 50256',
};

function readOptionalJson(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {}; // generation_config.json is optional; config.json is the source of truth
  }
}

/**
 * The two decoder contracts the engine speaks.
 * - `standard`: optimum's text-generation-with-past. `past_key_values.{i}.key|value` `[B, NH, P, H]` in,
 *   `logits` `[B, S, V]` and the whole `present.{i}.key|value` `[B, NH, P+S, H]` out.
 * - `server`: our own. `past_key.{i}|past_value.{i}` time-major `[P, B, C]` in, `logits` `[B, V]` (last
 *   position only) and only the new rows `new_key.{i}|new_value.{i}` `[S, B, C]` out.
 */
export type DecoderContract = 'standard' | 'server';

export interface DecoderLayout {
  contract: DecoderContract;
  /** Graphs without it compute positions themselves, which is only right without padding (batch 1). */
  hasPositionIds: boolean;
  /** Legacy merged decoders (`decoder_model_merged.onnx`) pick their branch from this bool `[1]` input. */
  hasUseCacheBranch: boolean;
  pastKeys: string[];
  pastValues: string[];
  /** Per layer: `present.*` for standard graphs, `new_*` for server graphs. */
  outKeys: string[];
  outValues: string[];
  logits: string;
}

export function describeDecoder(graphFile: string, inputNames: readonly string[], outputNames: readonly string[], nLayer: number): DecoderLayout {
  const inputs = new Set(inputNames);
  const outputs = new Set(outputNames);
  const fail = (problem: string) =>
    new ModelLoadError(
      'MODEL_GRAPH_UNSUPPORTED',
      `${graphFile}: ${problem}. Expected a GPT-2 decoder with KV cache (optimum text-generation-with-past) with inputs ${[...inputNames].join(', ') || '(none)'}; re-export it with the training package.`,
    );
  const contract: DecoderContract = inputs.has('past_key.0') ? 'server' : 'standard';
  const names = (pattern: (i: number) => string, from: Set<string>, what: string) =>
    Array.from({ length: nLayer }, (_, i) => {
      const name = pattern(i);
      if (!from.has(name)) throw fail(`missing ${what} "${name}" (config.json says n_layer = ${nLayer})`);
      return name;
    });
  for (const required of ['input_ids', 'attention_mask']) if (!inputs.has(required)) throw fail(`missing input "${required}"`);
  if (!outputs.has('logits')) throw fail('missing output "logits"');
  const layout: DecoderLayout =
    contract === 'server'
      ? {
          contract,
          hasPositionIds: inputs.has('position_ids'),
          hasUseCacheBranch: false,
          pastKeys: names((i) => `past_key.${i}`, inputs, 'input'),
          pastValues: names((i) => `past_value.${i}`, inputs, 'input'),
          outKeys: names((i) => `new_key.${i}`, outputs, 'output'),
          outValues: names((i) => `new_value.${i}`, outputs, 'output'),
          logits: 'logits',
        }
      : {
          contract,
          hasPositionIds: inputs.has('position_ids'),
          hasUseCacheBranch: inputs.has('use_cache_branch'),
          pastKeys: names((i) => `past_key_values.${i}.key`, inputs, 'input'),
          pastValues: names((i) => `past_key_values.${i}.value`, inputs, 'input'),
          outKeys: names((i) => `present.${i}.key`, outputs, 'output'),
          outValues: names((i) => `present.${i}.value`, outputs, 'output'),
          logits: 'logits',
        };
  if (layout.contract === 'server' && !layout.hasPositionIds) throw fail('a server-shaped graph must take "position_ids"');
  const extra = inputNames.filter((n) => !['input_ids', 'attention_mask', 'position_ids', 'use_cache_branch', ...layout.pastKeys, ...layout.pastValues].includes(n));
  if (extra.length > 0) throw fail(`unexpected input(s) ${extra.join(', ')} (a past of more layers than config.json's n_layer = ${nLayer}?)`);
  return layout;
}
