/**
 * `eval <model-dir> --data <text file | dataset folder>`: perplexity and bits per byte of every dtype the
 * folder holds (fp32 `model.onnx`, q8 `onnx/model_quantized.onnx`, q4 `onnx/model_q4.onnx`) on the same
 * text, on onnxruntime, and how often each quantized dtype makes fp32's choice: the most likely next token
 * over the text (teacher-forced), and greedy continuations of fixed prompts up to their first difference.
 */
import { parseArgs } from 'node:util';
import { readEvalPosts } from '../eval/eval-text.js';
import { evaluateModelFolder, type FolderEval } from '../eval/evaluate-model-folder.js';
import { createProgressBar, type ProgressBar } from '../progress.js';
import { intOption, processIo, UsageError, type CliIo } from './cli-io.js';
import { reportCliError } from './report-error.js';

export const EVAL_USAGE = 'usage: eval <model-dir> --data <text-file|dataset-dir> [--window N] [--max-tokens N] [--new-tokens N] [--json]';

export interface EvalPlan {
  modelDir: string;
  data: string;
  window?: number;
  maxTokens?: number;
  newTokens: number;
  json: boolean;
}

export function parseEvalArgs(argv: readonly string[]): EvalPlan {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      window: { type: 'string' },
      'max-tokens': { type: 'string' },
      'new-tokens': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one model folder, got ${positionals.length} arguments`);
  if (!values.data) throw new UsageError('--data <text file or dataset folder> is required');
  return {
    modelDir: positionals[0],
    data: values.data,
    window: intOption(values.window, 'window', 2),
    maxTokens: intOption(values['max-tokens'], 'max-tokens'),
    newTokens: intOption(values['new-tokens'], 'new-tokens') ?? 32,
    json: values.json ?? false,
  };
}

export async function runEval(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let plan: EvalPlan;
  try {
    plan = parseEvalArgs(argv);
  } catch (error) {
    io.stderr.write(`mimicbot: eval: ${(error as Error).message}\n${EVAL_USAGE}\n`);
    return 2;
  }
  try {
    const { file, posts } = await readEvalPosts(plan.data);
    const bars = new Map<string, ProgressBar>();
    const result = await evaluateModelFolder(plan.modelDir, posts, {
      window: plan.window,
      maxTokens: plan.maxTokens,
      newTokens: plan.newTokens,
      onProgress: (dtype, done, total) => {
        let bar = bars.get(dtype);
        if (!bar) {
          for (const other of bars.values()) other.stop();
          bars.set(dtype, (bar = createProgressBar(`eval ${dtype.padEnd(4)}`, { unit: 'tokens', stream: io.stderr })));
        }
        bar.update(done, total);
      },
    });
    for (const bar of bars.values()) bar.stop();
    if (result.results.length === 0) throw new UsageError(`${plan.modelDir}: no graph to evaluate (model.onnx, onnx/model_quantized.onnx or onnx/model_q4.onnx)`);
    io.stdout.write(plan.json ? `${JSON.stringify({ data: file, ...result }, null, 2)}\n` : formatEvalTable(file, result));
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) return reportCliError(error, io.stderr);
    io.stderr.write(`mimicbot: eval: ${error.message}\n`);
    return 2;
  }
}

export function formatEvalTable(file: string, r: FolderEval): string {
  const fp32 = r.results.find((x) => x.dtype === 'fp32');
  const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
  const rows = r.results.map((x) => [
    x.dtype,
    x.graph,
    x.perplexity.toFixed(4),
    x.bitsPerByte.toFixed(4),
    fp32 && x !== fp32 ? `${x.perplexity >= fp32.perplexity ? '+' : ''}${((100 * (x.perplexity - fp32.perplexity)) / fp32.perplexity).toFixed(2)}%` : '-',
    x.top1Agreement === undefined ? '-' : percent(x.top1Agreement),
    x.greedy ? `${percent(x.greedy.tokenRate)} (${x.greedy.identical}/${x.greedy.prompts} identical)` : '-',
  ]);
  const header = ['dtype', 'graph', 'perplexity', 'bits/byte', 'vs fp32', 'top-1 = fp32', 'greedy = fp32'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}\n`;
  return `${file}: ${r.posts} posts, ${r.tokens} tokens, ${r.bytes} bytes, windows of ${r.window}\n${line(header)}${rows.map(line).join('')}`;
}
