/**
 * `eval`'s work: scores every dtype a model folder holds (fp32, q8, q4: the optimum-contract graphs) on the
 * same text, and compares each quantized dtype's choices with fp32's (teacher-forced top-1 agreement over
 * the text, greedy agreement on fixed prompts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxCausalLm } from '../generate/onnx-causal-lm.js';
import { GRAPH_DTYPES, loadTokenizer, readModelConfig, type GraphDtype } from '@mimicbot/model-format';
import { FP32_WEIGHT_SOURCES, graphFilesOf } from '../onnx/quantize/graph-files.js';
import { AGREEMENT_PROMPTS, greedyAgreement, greedyContinuations, type GreedyAgreement } from './greedy-agreement.js';
import { argmaxAgreement, scoreStream } from './score-text.js';
import { bitsPerByte, perplexity } from './text-score.js';

export interface EvalOptions {
  /** Tokens per scoring window (default and at most: the model's context). */
  window?: number;
  /** Score whole posts up to about this many tokens (default: all of the text). */
  maxTokens?: number;
  /** Greedy tokens generated per agreement prompt. */
  newTokens: number;
  onProgress?: (dtype: GraphDtype, done: number, total: number) => void;
}

export interface DtypeEval {
  dtype: GraphDtype;
  graph: string;
  perplexity: number;
  bitsPerByte: number;
  /** Against fp32, when the folder has it. */
  top1Agreement?: number;
  greedy?: GreedyAgreement;
}

export interface FolderEval {
  posts: number;
  tokens: number;
  bytes: number;
  window: number;
  results: DtypeEval[];
}

/** The graph each dtype is scored with, relative to the folder; absent dtypes left out. */
export function graphsPresent(dir: string): { dtype: GraphDtype; graph: string }[] {
  const out: { dtype: GraphDtype; graph: string }[] = [];
  for (const dtype of GRAPH_DTYPES) {
    const candidates: readonly string[] = dtype === 'fp32' ? FP32_WEIGHT_SOURCES : [graphFilesOf(dtype).standard];
    const graph = candidates.find((f) => existsSync(join(dir, f)));
    if (graph) out.push({ dtype, graph });
  }
  return out;
}

export async function evaluateModelFolder(dir: string, posts: readonly string[], options: EvalOptions): Promise<FolderEval> {
  const config = await readModelConfig(dir);
  const tokenizer = await loadTokenizer(dir);
  const encode = (text: string) => tokenizer.encode(text).ids;
  const eos = config.eosTokenId;
  const window = Math.min(options.window ?? config.nPositions, config.nPositions);

  // The stream <eot> post <eot> post <eot> ..., whole posts only, within maxTokens.
  const stream: number[] = [eos];
  let bytes = 0;
  let used = 0;
  for (const post of posts) {
    const ids = encode(post);
    if (used > 0 && options.maxTokens !== undefined && stream.length + ids.length > options.maxTokens) break;
    for (const id of ids) stream.push(id); // (not a spread: a long plain text is one post)
    stream.push(eos);
    bytes += Buffer.byteLength(post, 'utf8');
    used++;
  }
  const tokens = Int32Array.from(stream);
  const prompts = AGREEMENT_PROMPTS.map(encode);

  const results: DtypeEval[] = [];
  let reference: { argmax: Int32Array; greedy: number[][] } | undefined;
  for (const { dtype, graph } of graphsPresent(dir)) {
    const lm = await OnnxCausalLm.load(join(dir, graph), config);
    try {
      const score = await scoreStream(lm, tokens, window, (done, total) => options.onProgress?.(dtype, done, total));
      const greedy = await greedyContinuations(lm, prompts, options.newTokens, eos);
      const result: DtypeEval = { dtype, graph, perplexity: perplexity(score), bitsPerByte: bitsPerByte(score, bytes) };
      if (dtype === 'fp32') reference = { argmax: score.argmax, greedy };
      else if (reference) Object.assign(result, { top1Agreement: argmaxAgreement(reference.argmax, score.argmax), greedy: greedyAgreement(reference.greedy, greedy) });
      results.push(result);
    } finally {
      await lm.release();
    }
  }
  return { posts: used, tokens: tokens.length - 1, bytes, window, results };
}
