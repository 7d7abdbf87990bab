/**
 * Which ONNX graph of a model folder to run. One table of every graph file we know, in the order we prefer
 * them, each with the decoder contract it speaks (docs/contracts.md) and the precision of its weights, so a
 * caller can ask for a precision (`MODEL_DTYPE`) and otherwise gets the first the folder has.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ModelFolderError } from './model-folder-error.js';

/**
 * - `server`: our own graph for the inference server (the engine's cache slab in, new K/V rows and
 *   last-position logits out), written by training's `buildGpt2ServerDecoder`.
 * - `standard`: optimum's text-generation-with-past, what transformers.js and optimum export.
 */
export type GraphContract = 'server' | 'standard';

/** Precision of the weights: float32, 8-bit or 4-bit quantized (transformers.js's `q8` / `q4`). */
export type GraphDtype = 'fp32' | 'q8' | 'q4';

export interface GraphFile {
  /** Relative to the model folder, `/`-separated. */
  file: string;
  contract: GraphContract;
  dtype: GraphDtype;
}

/** Our converter's graph shaped for the server (new K/V rows out, last-position logits only). */
export const SERVER_DECODER_FILE = 'server_decoder.onnx';

/** Every precision, from the full weights down. */
export const GRAPH_DTYPES: readonly GraphDtype[] = ['fp32', 'q8', 'q4'];

/**
 * Where a graph may live, in the order we prefer them: the fewest bits first (training's `quantize` keeps q4
 * within 3% and q8 within 1% of fp32's perplexity and q4 decodes fastest, docs/quantization.md), and within a
 * precision our server graph before the standard one. The standard quantized names are transformers.js's
 * (`dtype: 'q8'` reads `onnx/model_quantized.onnx`, `'q4'` reads `onnx/model_q4.onnx`).
 */
export const GRAPH_CANDIDATES: readonly GraphFile[] = [
  { file: 'server_decoder_q4.onnx', contract: 'server', dtype: 'q4' },
  { file: 'onnx/model_q4.onnx', contract: 'standard', dtype: 'q4' },
  { file: 'server_decoder_q8.onnx', contract: 'server', dtype: 'q8' },
  { file: 'onnx/model_quantized.onnx', contract: 'standard', dtype: 'q8' },
  { file: SERVER_DECODER_FILE, contract: 'server', dtype: 'fp32' },
  { file: 'model.onnx', contract: 'standard', dtype: 'fp32' },
  { file: 'onnx/model.onnx', contract: 'standard', dtype: 'fp32' },
  // transformers.js's legacy export: the decoder with and without past in one graph, chosen by `use_cache_branch`.
  { file: 'onnx/decoder_model_merged.onnx', contract: 'standard', dtype: 'fp32' },
];

/**
 * Whether `file` (relative to the folder, `/`-separated) names one of our server graphs. Those are written with
 * their weights in external data whatever their size (training's `writeOptionsFor` says why); other runtimes
 * never read them, so the single-file convention does not bind them.
 */
export function isServerGraphFile(file: string): boolean {
  return GRAPH_CANDIDATES.some((g) => g.contract === 'server' && g.file === file);
}

/** The name a writer gives a graph of this precision and contract: the table's first. */
export function graphFile(dtype: GraphDtype, contract: GraphContract): string {
  const found = GRAPH_CANDIDATES.find((g) => g.dtype === dtype && g.contract === contract);
  if (!found) throw new Error(`no ${dtype} ${contract}-contract graph in GRAPH_CANDIDATES`);
  return found.file;
}

export interface PickGraphOptions {
  /** Only graphs of this precision; default: any, in the table's order. */
  dtype?: GraphDtype;
  /** Only graphs speaking this contract (a runtime that speaks only one). */
  contract?: GraphContract;
}

export interface PickedGraph extends GraphFile {
  /** `dir` joined with `file`. */
  path: string;
}

/** The first graph of GRAPH_CANDIDATES the folder holds that fits `options`. */
export function pickGraph(dir: string, options: PickGraphOptions = {}): PickedGraph {
  if (!existsSync(dir)) throw new ModelFolderError('MODEL_FOLDER_NOT_FOUND', dir, 'no such folder');
  if (!statSync(dir).isDirectory()) throw new ModelFolderError('MODEL_FOLDER_NOT_FOUND', dir, 'is a file, expected a model folder');
  const wanted = GRAPH_CANDIDATES.filter((g) => (options.dtype === undefined || g.dtype === options.dtype) && (options.contract === undefined || g.contract === options.contract));
  for (const graph of wanted) {
    const path = join(dir, graph.file);
    if (existsSync(path) && statSync(path).isFile()) return { ...graph, path };
  }
  const what = [options.dtype, options.contract && `${options.contract}-contract`].filter(Boolean).join(' ');
  const lookedFor = wanted.length > 0 ? `looked for ${wanted.map((g) => g.file).join(', ')}` : 'no graph file of that kind is known';
  // Training checkpoints hold safetensors weights and no graph: an easy folder to point at by mistake.
  const checkpoint = existsSync(join(dir, 'model.safetensors')) ? '; it holds model.safetensors, so it is a checkpoint: export it to a model folder first' : '';
  throw new ModelFolderError('MODEL_GRAPH_NOT_FOUND', dir, `no ${what ? `${what} ` : ''}ONNX graph found (${lookedFor})${checkpoint}`);
}
