/**
 * `quantize <model-dir> --bits 8|4 [--block 32] [--keep-head | --head-bits 8] [--symmetric]`: adds block-quantized graphs
 * (onnxruntime's MatMulNBits) to a model folder that `export` wrote: `onnx/model_quantized.onnx` (8-bit) or
 * `onnx/model_q4.onnx` (4-bit), the names transformers.js loads for `dtype: 'q8'` / `'q4'`, and the server's
 * `server_decoder_q8.onnx` / `server_decoder_q4.onnx`. The fp32 files stay as they are.
 */
import { parseArgs } from 'node:util';
import { quantizeModelFolder } from '../onnx/quantize/quantize-model-folder.js';
import { describeQuantizeSpec, type QuantizeSpec } from '../onnx/quantize/quantize-weights.js';
import { createProgressBar } from '../progress.js';
import { processIo, UsageError, type CliIo } from './cli-io.js';
import { bitsOption, QUANTIZE_SPEC_OPTIONS, QUANTIZE_SPEC_USAGE, quantizeSpecFromFlags } from './quantize-options.js';
import { reportCliError } from './report-error.js';

export const QUANTIZE_USAGE = `usage: quantize <model-dir> --bits 8|4 ${QUANTIZE_SPEC_USAGE}`;

export function parseQuantizeArgs(argv: readonly string[]): { modelDir: string; spec: QuantizeSpec } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { bits: { type: 'string' }, ...QUANTIZE_SPEC_OPTIONS },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one model folder, got ${positionals.length} arguments`);
  return { modelDir: positionals[0], spec: quantizeSpecFromFlags(bitsOption(values.bits, 'bits'), values) };
}

export async function runQuantize(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let plan: ReturnType<typeof parseQuantizeArgs>;
  try {
    plan = parseQuantizeArgs(argv);
  } catch (error) {
    io.stderr.write(`mimicbot: quantize: ${(error as Error).message}\n${QUANTIZE_USAGE}\n`);
    return 2;
  }
  try {
    const quantizeBar = createProgressBar('quantize', { unit: 'M params', scale: 1e6, stream: io.stderr });
    let writeBar: ReturnType<typeof createProgressBar> | undefined;
    const files = await quantizeModelFolder(plan.modelDir, plan.spec, {
      onQuantize: (done, total) => quantizeBar.update(done, total),
      onWrite: (done, total) => {
        if (!writeBar) {
          quantizeBar.stop();
          writeBar = createProgressBar('write   ', { unit: 'MB', scale: 1e6, stream: io.stderr });
        }
        writeBar.update(done, total);
      },
    });
    quantizeBar.stop();
    writeBar?.stop();
    io.stdout.write(`wrote ${files.join(', ')} in ${plan.modelDir} (${describeQuantizeSpec(plan.spec)})\n`);
    return 0;
  } catch (error) {
    return reportCliError(error, io.stderr);
  }
}
