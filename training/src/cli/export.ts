/**
 * `export <checkpoint> <model-dir> [--force]`: turns a training checkpoint (or any Hugging Face GPT-2
 * folder with a tokenizer.json) into a model folder the server loads: model.onnx, onnx/model.onnx,
 * config.json, generation_config.json and the tokenizer files, plus server_decoder.onnx (the same weights in
 * the cache layout the server prefers; `--no-server-decoder` leaves it out). `--quantize 8|4` (repeatable)
 * adds the block-quantized graphs `quantize` would write, in the same atomic write.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadHfCheckpoint } from '../checkpoint/index.js';
import { writeModelFolder } from '../model-folder/index.js';
import { buildGpt2ServerDecoder, SERVER_DECODER_FILE } from '../onnx/gpt2-server-decoder.js';
import { buildQuantizedGraphs } from '../onnx/quantize/quantized-graphs.js';
import type { QuantizeSpec } from '../onnx/quantize/quantize-weights.js';
import type { ModelProto } from '../onnx/onnx-proto.js';
import { readTokenizerFiles } from '../train/training-checkpoint.js';
import { processIo, UsageError, type CliIo } from './cli-io.js';
import { createProgressBar } from '../progress.js';
import { reportCliError } from './report-error.js';
import { bitsOption, QUANTIZE_SPEC_OPTIONS, QUANTIZE_SPEC_USAGE, quantizeSpecFromFlags } from './quantize-options.js';

export const EXPORT_USAGE = `usage: export <checkpoint-dir> <model-dir> [--force] [--no-server-decoder] [--quantize 8|4]... ${QUANTIZE_SPEC_USAGE}`;

export interface ExportPlan {
  checkpoint: string;
  modelDir: string;
  force: boolean;
  serverDecoder: boolean;
  /** One spec per `--quantize` given. */
  quantize: QuantizeSpec[];
}

export function parseExportArgs(argv: readonly string[]): ExportPlan {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { force: { type: 'boolean' }, 'no-server-decoder': { type: 'boolean' }, quantize: { type: 'string', multiple: true }, ...QUANTIZE_SPEC_OPTIONS },
  });
  if (positionals.length !== 2) throw new UsageError(`expected a checkpoint folder and a model folder, got ${positionals.length} arguments`);
  const bits = [...new Set((values.quantize ?? []).map((b) => bitsOption(b, 'quantize')))];
  const quantizing = bits.length > 0;
  if (!quantizing && (values.block !== undefined || values['keep-head'] || values['head-bits'] !== undefined || values.symmetric)) {
    throw new UsageError('--block, --keep-head, --head-bits and --symmetric go with --quantize 8|4');
  }
  return {
    checkpoint: positionals[0],
    modelDir: positionals[1],
    force: values.force ?? false,
    serverDecoder: !values['no-server-decoder'],
    quantize: bits.map((b) => quantizeSpecFromFlags(b, values)),
  };
}

export async function runExport(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let plan: ExportPlan;
  try {
    plan = parseExportArgs(argv);
  } catch (error) {
    io.stderr.write(`mimicbot: export: ${(error as Error).message}\n${EXPORT_USAGE}\n`);
    return 2;
  }
  try {
    const tokenizerFile = join(plan.checkpoint, 'tokenizer.json');
    if (!existsSync(tokenizerFile)) throw new UsageError(`${tokenizerFile}: missing; export needs the tokenizer the model was trained with`);
    const readBar = createProgressBar('read ', { unit: 'MB', scale: 1e6, stream: io.stderr });
    const { config, weights } = await loadHfCheckpoint(plan.checkpoint, { onProgress: (done, total) => readBar.update(done, total) });
    readBar.stop();
    const tokenizer = await readTokenizerFiles(plan.checkpoint);
    const extraModels: Record<string, ModelProto> = plan.serverDecoder ? { [SERVER_DECODER_FILE]: buildGpt2ServerDecoder(config, weights) } : {};
    for (const spec of plan.quantize) {
      const quantizeBar = createProgressBar(`q${spec.bits}   `, { unit: 'M params', scale: 1e6, stream: io.stderr });
      Object.assign(extraModels, buildQuantizedGraphs(config, weights, spec, (done, total) => quantizeBar.update(done, total)));
      quantizeBar.stop();
    }
    const writeBar = createProgressBar('write', { unit: 'MB', scale: 1e6, stream: io.stderr });
    await writeModelFolder(plan.modelDir, { config, weights, tokenizer }, { overwrite: plan.force, extraModels, onProgress: (done, total) => writeBar.update(done, total) });
    writeBar.stop();
    io.stdout.write(`wrote ${plan.modelDir}: GPT-2 ${config.nLayer} layers x ${config.nHead} heads x ${config.nEmbd}, vocab ${config.vocabSize}\n`);
    return 0;
  } catch (error) {
    // Only a usage problem is this command's to word; file and system errors, and bugs, go to the shared boundary.
    if (!(error instanceof UsageError)) return reportCliError(error, io.stderr);
    io.stderr.write(`mimicbot: export: ${error.message}\n`);
    return 2;
  }
}
