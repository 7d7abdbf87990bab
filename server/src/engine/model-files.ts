/**
 * The engine's view of a model folder: which ONNX graph to run and the GPT-2 hyper-parameters, from
 * @mimicbot/model-format (the one reader of the format), with its errors turned into the engine's
 * ModelLoadError and a hint for whoever set MODEL_DIR; and, from the graph's own input and output names,
 * which decoder contract it speaks. No onnxruntime here; the runtime passes the session's names in.
 */
import { ModelFolderError, pickGraph, readModelConfig as readFolderConfig, type GraphDtype, type ModelFolderErrorCode, type PickedGraph } from '@mimicbot/model-format';
import { ModelLoadError, type ModelLoadErrorCode } from './errors.js';
import type { ModelConfig } from './types.js';

export type { ModelConfig };

/**
 * The one graph the server runs: of precision `dtype` when given (MODEL_DTYPE), else the best the folder
 * offers (the format's table order: q4, then q8, then fp32; our server graph before the standard one).
 */
export function findModelGraph(modelDir: string, dtype?: GraphDtype): PickedGraph {
  try {
    return pickGraph(modelDir, { dtype });
  } catch (error) {
    if (dtype !== undefined && error instanceof ModelFolderError && error.code === 'MODEL_GRAPH_NOT_FOUND') {
      const fix = dtype === 'fp32' ? 'Export the folder again with the training package' : `Quantize the folder (mimicbot quantize <model-dir> --bits ${dtype.slice(1)})`;
      throw new ModelLoadError('MODEL_GRAPH_NOT_FOUND', `MODEL_DTYPE=${dtype}: ${error.message}. ${fix}, or unset MODEL_DTYPE to serve the best graph the folder has.`, { cause: error });
    }
    throw asModelLoadError(error);
  }
}

export async function readModelConfig(modelDir: string): Promise<ModelConfig> {
  try {
    return await readFolderConfig(modelDir);
  } catch (error) {
    throw asModelLoadError(error);
  }
}

const LOAD_ERRORS: Partial<Record<ModelFolderErrorCode, { code: ModelLoadErrorCode; fix?: string }>> = {
  MODEL_FOLDER_NOT_FOUND: { code: 'MODEL_DIR_NOT_FOUND', fix: 'Set MODEL_DIR to a model folder (one with config.json and model.onnx).' },
  MODEL_GRAPH_NOT_FOUND: { code: 'MODEL_GRAPH_NOT_FOUND', fix: 'Export the model with the training package or point MODEL_DIR at a folder that has one.' },
  MODEL_CONFIG_NOT_FOUND: { code: 'MODEL_CONFIG_NOT_FOUND' },
};

/** The format's error in the engine's family (the one the worker boundary revives), with how to fix it. */
function asModelLoadError(error: unknown): unknown {
  if (!(error instanceof ModelFolderError)) return error;
  const { code, fix } = LOAD_ERRORS[error.code] ?? { code: 'MODEL_CONFIG_INVALID' };
  return new ModelLoadError(code, fix ? `${error.message}. ${fix}` : error.message, { cause: error });
}

/**
 * The two decoder contracts the engine speaks.
 * - `standard`: optimum's text-generation-with-past. `past_key_values.{i}.key|value` `[B, NH, P, H]` in,
 *   `logits` `[B, S, V]` and the whole `present.{i}.key|value` `[B, NH, P+S, H]` out.
 * - `server`: our own. `past_key.{i}|past_value.{i}` in, `logits` `[B, V]` (last position only) and only the
 *   new rows `new_key.{i}|new_value.{i}` out, in one of two cache layouts (`CacheLayout`). Graphs exported
 *   since `logits_positions` exists take that `[K]` input and return `[B * K, V]` for the positions it lists.
 */
export type DecoderContract = 'standard' | 'server';

/**
 * How a graph's cache tensors are laid out.
 * - `heads`: `[B, NH, P, HS]`. Standard graphs' past and present; server graphs' past is the engine's whole
 *   slab (P = its slots, the free ones masked out) and their new rows are `[B, NH, T, HS]`.
 * - `time-major`: `[P, B, C]` past and `[T, B, C]` new rows: server graphs exported before the heads layout.
 */
export type CacheLayout = 'heads' | 'time-major';

export interface DecoderLayout {
  contract: DecoderContract;
  cache: CacheLayout;
  /** Graphs without it compute positions themselves, which is only right without padding (batch 1). */
  hasPositionIds: boolean;
  /** Legacy merged decoders (`decoder_model_merged.onnx`) pick their branch from this bool `[1]` input. */
  hasUseCacheBranch: boolean;
  /** Server graphs that take `logits_positions` `[K]` (which positions' logits come out). */
  hasLogitsPositions: boolean;
  /** The graph returns the logits of every prompt position when asked: standard graphs always return them all. */
  canScorePrompt: boolean;
  pastKeys: string[];
  pastValues: string[];
  /** Per layer: `present.*` for standard graphs, `new_*` for server graphs. */
  outKeys: string[];
  outValues: string[];
  logits: string;
}

/** `pastKeyDims`: the first past key input's declared shape, where the runtime knows it (a server graph's rank tells its cache layout). */
export function describeDecoder(
  graphFile: string,
  inputNames: readonly string[],
  outputNames: readonly string[],
  nLayer: number,
  pastKeyDims?: readonly (number | string)[],
): DecoderLayout {
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
          cache: pastKeyDims?.length === 3 ? 'time-major' : 'heads',
          hasPositionIds: inputs.has('position_ids'),
          hasUseCacheBranch: false,
          hasLogitsPositions: inputs.has('logits_positions'),
          canScorePrompt: inputs.has('logits_positions'),
          pastKeys: names((i) => `past_key.${i}`, inputs, 'input'),
          pastValues: names((i) => `past_value.${i}`, inputs, 'input'),
          outKeys: names((i) => `new_key.${i}`, outputs, 'output'),
          outValues: names((i) => `new_value.${i}`, outputs, 'output'),
          logits: 'logits',
        }
      : {
          contract,
          cache: 'heads',
          hasPositionIds: inputs.has('position_ids'),
          hasUseCacheBranch: inputs.has('use_cache_branch'),
          hasLogitsPositions: false,
          canScorePrompt: true,
          pastKeys: names((i) => `past_key_values.${i}.key`, inputs, 'input'),
          pastValues: names((i) => `past_key_values.${i}.value`, inputs, 'input'),
          outKeys: names((i) => `present.${i}.key`, outputs, 'output'),
          outValues: names((i) => `present.${i}.value`, outputs, 'output'),
          logits: 'logits',
        };
  if (layout.contract === 'server' && !layout.hasPositionIds) throw fail('a server-shaped graph must take "position_ids"');
  const known = ['input_ids', 'attention_mask', 'position_ids', 'use_cache_branch', ...(layout.hasLogitsPositions ? ['logits_positions'] : [])];
  const extra = inputNames.filter((n) => ![...known, ...layout.pastKeys, ...layout.pastValues].includes(n));
  if (extra.length > 0) throw fail(`unexpected input(s) ${extra.join(', ')} (a past of more layers than config.json's n_layer = ${nLayer}?)`);
  return layout;
}
