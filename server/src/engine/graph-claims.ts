/**
 * config.json's claims checked against what the graph itself reveals, at load, so that a folder whose
 * config.json does not describe its graph never starts (instead of failing requests later: a config that
 * claims 1e9 positions for a 256-position graph serves until a sequence passes position 255).
 *
 * What the graph reveals: its past inputs' names (n_layer); its inputs' fixed dimensions where it has
 * them, and one real run's output shapes (n_head, n_embd, vocab_size, and with it the range that
 * eos/bos_token_id must fall in); and whether a token at position n_positions - 1 runs (n_positions; only
 * for graphs that take position_ids: the others number positions from the past length, and probing there
 * would take a past as long as the claim). No onnxruntime here:
 * the decoder passes names, shapes and a probe in.
 */
import { ModelLoadError } from './errors.js';
import type { CacheLayout, DecoderLayout } from './model-files.js';
import type { ModelConfig } from './types.js';

export interface ModelFiles {
  configFile: string;
  graphFile: string;
}

/** What one token run alone at a position shows: the logits' last dimension, and the first layer's new cache dims. */
export interface ProbeResult {
  vocabSize: number;
  /** standard `present.0.key` `[B, NH, P, HS]`; server `new_key.0` `[B, NH, T, HS]` (time-major: `[T, B, C]`). */
  cacheDims: readonly number[];
}

export type Probe = (position: number) => Promise<ProbeResult>;

const PAST_KEY = [/^past_key_values\.(\d+)\.key$/, /^past_key\.(\d+)$/];

/** n_layer against the past inputs the graph takes (before anything sizes an array by n_layer). */
export function checkLayerCount(files: ModelFiles, config: ModelConfig, inputNames: readonly string[]): void {
  const layers = new Set<string>();
  for (const name of inputNames) {
    for (const pattern of PAST_KEY) {
      const match = pattern.exec(name);
      if (match) layers.add(match[1]);
    }
  }
  if (layers.size === 0) {
    throw new ModelLoadError(
      'MODEL_GRAPH_UNSUPPORTED',
      `${files.graphFile}: takes no past keys (past_key_values.0.key or past_key.0): not a decoder with a KV cache. Export it with past (optimum text-generation-with-past) or with the training package.`,
    );
  }
  if (layers.size !== config.nLayer) throw mismatch(files, 'n_layer', config.nLayer, `takes past keys for ${layers.size} layers`, layers.size);
}

/**
 * n_head and n_embd against a cache tensor's dimensions, where they are numbers: `[B, NH, P, HS]`, or
 * time-major `[P, B, C]` (whose heads are inside the graph, so only n_embd shows).
 */
export function checkCacheShape(files: ModelFiles, config: ModelConfig, cache: CacheLayout, dims: readonly (number | string)[]): void {
  const fixed = (i: number) => (typeof dims[i] === 'number' ? (dims[i] as number) : undefined);
  if (cache === 'time-major') {
    const C = fixed(2);
    if (C !== undefined && C !== config.nEmbd) throw mismatch(files, 'n_embd', config.nEmbd, `has a cache of ${C} channels`, C);
    return;
  }
  const NH = fixed(1);
  const HS = fixed(3);
  if (NH !== undefined && NH !== config.nHead) throw mismatch(files, 'n_head', config.nHead, `has a cache of ${NH} heads`, NH);
  if (NH !== undefined && HS !== undefined && NH * HS !== config.nEmbd) {
    throw mismatch(files, 'n_embd', config.nEmbd, `has a cache of ${NH} heads of ${HS} channels (${NH * HS})`, NH * HS);
  }
  if (NH === undefined && HS !== undefined && HS * config.nHead !== config.nEmbd) {
    throw mismatch(files, 'n_embd', config.nEmbd, `has heads of ${HS} channels (${HS * config.nHead} for n_head ${config.nHead})`, HS * config.nHead);
  }
}

/** Runs the probe: the graph must run one token, and its outputs and position table must fit config.json. */
export async function checkAgainstRuns(files: ModelFiles, config: ModelConfig, layout: DecoderLayout, probe: Probe): Promise<void> {
  let first: ProbeResult;
  try {
    first = await probe(0);
  } catch (cause) {
    throw new ModelLoadError('MODEL_GRAPH_INVALID', `${files.graphFile}: cannot run one token (${firstLine(cause)}). Re-export the model with the training package.`, { cause });
  }
  if (first.vocabSize !== config.vocabSize) throw mismatch(files, 'vocab_size', config.vocabSize, `gives logits for ${first.vocabSize} tokens`, first.vocabSize);
  for (const [field, id] of [['eos_token_id', config.eosTokenId], ['bos_token_id', config.bosTokenId]] as const) {
    if (id >= first.vocabSize) throw mismatch(files, field, id, `has tokens 0..${first.vocabSize - 1} only`, first.vocabSize - 1);
  }
  checkCacheShape(files, config, layout.cache, first.cacheDims);
  if (!layout.hasPositionIds || config.nPositions <= 1) return;
  const last = config.nPositions - 1;
  if (await runs(probe, last)) return;
  // The largest position that runs, by bisection: at most ~log2(n_positions) one-token runs.
  let good = 0;
  let bad = last;
  while (bad - good > 1) {
    const mid = good + Math.floor((bad - good) / 2);
    if (await runs(probe, mid)) good = mid;
    else bad = mid;
  }
  throw mismatch(files, 'n_positions', config.nPositions, `has ${good + 1} positions (a token at position ${bad} does not run)`, good + 1);
}

async function runs(probe: Probe, position: number): Promise<boolean> {
  try {
    await probe(position);
    return true;
  } catch {
    return false;
  }
}

function mismatch(files: ModelFiles, field: string, claimed: number, what: string, actual: number): ModelLoadError {
  return new ModelLoadError(
    'MODEL_CONFIG_MISMATCH',
    `${files.configFile}: "${field}" is ${claimed}, but ${files.graphFile} ${what}. Set "${field}": ${actual} in config.json, or export the folder again.`,
  );
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}
