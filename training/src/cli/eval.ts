/**
 * `eval <model-dir> --data <text file | dataset folder>`: perplexity and bits per byte of every dtype the
 * folder holds (fp32 `model.onnx`, q8 `onnx/model_quantized.onnx`, q4 `onnx/model_q4.onnx`) on the same
 * text, on onnxruntime, and how often each quantized dtype makes fp32's choice: the most likely next token
 * over the text (teacher-forced), and greedy continuations of fixed prompts up to their first difference.
 */
import { ModelFolderError } from '@mimicbot/model-format';
import { readEvalPosts } from '../eval/eval-text.js';
import { evaluateModelFolder, type FolderEval } from '../eval/evaluate-model-folder.js';
import { createProgressBar, type ProgressBar } from '../progress.js';
import { defineCommand } from './define-command.js';

export const evalCommand = defineCommand({
  name: 'eval',
  description: 'perplexity and bits per byte of every dtype in a model folder, and agreement with fp32',
  args: [{ name: 'model-dir', description: 'a model folder (fp32 model.onnx, and the q8/q4 graphs quantize adds)' }],
  options: {
    data: { type: 'string', required: true, placeholder: 'PATH', description: "a text file of posts separated by <|endoftext|>, or a dataset folder (its valid.txt)" },
    window: { type: 'integer', min: 2, defaultText: "the model's context", description: 'tokens per scoring window' },
    'max-tokens': { type: 'integer', min: 1, defaultText: 'all of the text', description: 'score whole posts up to about N tokens' },
    'new-tokens': { type: 'integer', min: 1, default: 32, description: 'greedy tokens per agreement prompt' },
    json: { type: 'boolean', description: 'print the numbers as JSON' },
    quiet: { type: 'boolean', description: 'no progress bars' },
  },
  async run({ args, options, context }) {
    const modelDir = args['model-dir'];
    const { file, posts } = await readEvalPosts(options.data);
    const bars = new Map<string, ProgressBar>();
    const result = await evaluateModelFolder(modelDir, posts, {
      window: options.window,
      maxTokens: options['max-tokens'],
      newTokens: options['new-tokens'],
      onProgress: (dtype, done, total) => {
        let bar = bars.get(dtype);
        if (!bar) {
          for (const other of bars.values()) other.stop();
          bars.set(dtype, (bar = createProgressBar(`eval ${dtype.padEnd(4)}`, { unit: 'tokens', stream: context.stderr, quiet: options.quiet })));
        }
        bar.update(done, total);
      },
    });
    for (const bar of bars.values()) bar.stop();
    if (result.results.length === 0) throw new ModelFolderError('MODEL_GRAPH_NOT_FOUND', modelDir, 'no graph to evaluate (model.onnx, onnx/model_quantized.onnx or onnx/model_q4.onnx)');
    context.stdout.write(options.json ? `${JSON.stringify({ data: file, ...result }, null, 2)}\n` : formatEvalTable(file, result));
  },
});

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
