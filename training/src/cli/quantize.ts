/**
 * `quantize <model-dir> --bits 8|4`: adds block-quantized graphs (onnxruntime's MatMulNBits) to a model folder
 * that `export` or `init` wrote: `onnx/model_quantized.onnx` (8-bit) or `onnx/model_q4.onnx` (4-bit), the
 * names transformers.js loads for `dtype: 'q8'` / `'q4'`, and the server's `server_decoder_q8.onnx` /
 * `server_decoder_q4.onnx`. The fp32 files stay as they are.
 */
import { quantizeModelFolder } from '../onnx/quantize/quantize-model-folder.js';
import { describeQuantizeSpec } from '../onnx/quantize/quantize-weights.js';
import type { QuantBits } from '../onnx/quantize/block-quantize.js';
import { createProgressBar } from '../progress.js';
import { UsageError } from './cli-context.js';
import { defineCommand } from './define-command.js';
import { QUANTIZE_SPEC_OPTIONS, quantizeSpecFromOptions } from './quantize-options.js';

export const quantizeCommand = defineCommand({
  name: 'quantize',
  description: 'add 8- or 4-bit weight-quantized graphs to a model folder',
  args: [{ name: 'model-dir', description: 'a model folder with an fp32 model.onnx (what export or init wrote)' }],
  options: {
    bits: { type: 'choice', choices: ['8', '4'], description: 'bits per weight (required)' },
    ...QUANTIZE_SPEC_OPTIONS,
    quiet: { type: 'boolean', description: 'no progress bars' },
  },
  notes: ['Writes onnx/model_quantized.onnx + server_decoder_q8.onnx (8 bits) or onnx/model_q4.onnx + server_decoder_q4.onnx (4 bits).'],
  async run({ args, options, context }) {
    const modelDir = args['model-dir'];
    if (options.bits === undefined) throw new UsageError('--bits 8|4 is required');
    const spec = quantizeSpecFromOptions(Number(options.bits) as QuantBits, options);
    const quantizeBar = createProgressBar('quantize', { unit: 'M params', scale: 1e6, stream: context.stderr, quiet: options.quiet });
    let writeBar: ReturnType<typeof createProgressBar> | undefined;
    const files = await quantizeModelFolder(modelDir, spec, {
      onQuantize: (done, total) => quantizeBar.update(done, total),
      onWrite: (done, total) => {
        if (!writeBar) {
          quantizeBar.stop();
          writeBar = createProgressBar('write   ', { unit: 'MB', scale: 1e6, stream: context.stderr, quiet: options.quiet });
        }
        writeBar.update(done, total);
      },
    });
    quantizeBar.stop();
    writeBar?.stop();
    context.stdout.write(`wrote ${files.join(', ')} in ${modelDir} (${describeQuantizeSpec(spec)})\n`);
  },
});
