/**
 * `export <checkpoint> <model-dir>`: turns a training checkpoint (or any Hugging Face GPT-2 folder with a
 * tokenizer.json) into a model folder the server loads: model.onnx, onnx/model.onnx, config.json,
 * generation_config.json and the tokenizer files, plus server_decoder.onnx (the same weights in the cache
 * layout the server prefers; `--no-server-decoder` leaves it out). `--quantize 8`, `4` or `8,4` adds the
 * block-quantized graphs `quantize` would write, in the same atomic write.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readModelCard, readTokenizerFiles, SERVER_DECODER_FILE } from '@mimicbot/model-format';
import { loadHfCheckpoint } from '../checkpoint/index.js';
import { writeModelFolder } from '../model-folder/index.js';
import { buildGpt2ServerDecoder } from '../onnx/gpt2-server-decoder.js';
import type { ModelProto } from '../onnx/onnx-proto.js';
import type { QuantBits } from '../onnx/quantize/block-quantize.js';
import { buildQuantizedGraphs } from '../onnx/quantize/quantized-graphs.js';
import { createProgressBar } from '../progress.js';
import { MimicbotFileError } from '../errors.js';
import { UsageError } from './cli-context.js';
import { defineCommand } from './define-command.js';
import { folderKind } from './folder-kind.js';
import { QUANTIZE_SPEC_OPTIONS, quantizeSpecFromOptions, type QuantizeSpecValues } from './quantize-options.js';

export const exportCommand = defineCommand({
  name: 'export',
  description: 'turn a training checkpoint into a model folder the server loads',
  args: [
    { name: 'checkpoint-dir', description: 'what train wrote (<out>/checkpoint), or a Hugging Face GPT-2 folder with a tokenizer.json' },
    { name: 'model-dir', description: 'the model folder to write' },
  ],
  options: {
    force: { type: 'boolean', description: 'replace the model folder if it exists' },
    'no-server-decoder': { type: 'boolean', description: "leave out server_decoder.onnx (the server's cache layout)" },
    quantize: { type: 'string', placeholder: '8|4|8,4', defaultText: 'none, fp32 only', description: 'also write the 8- and/or 4-bit quantized graphs (see mimicbot quantize)' },
    ...QUANTIZE_SPEC_OPTIONS,
    quiet: { type: 'boolean', description: 'no progress bars' },
  },
  async run({ args, options, context }) {
    const quantizeBits = parseQuantizeList(options.quantize, options);
    const checkpoint = args['checkpoint-dir'];
    const modelDir = args['model-dir'];
    if (folderKind(checkpoint) === 'training-run') {
      throw new MimicbotFileError('EXPORT_RUN_FOLDER', checkpoint, `is a training run; export its checkpoint: mimicbot export ${join(checkpoint, 'checkpoint')} ${modelDir}`);
    }
    const tokenizerFile = join(checkpoint, 'tokenizer.json');
    if (!existsSync(tokenizerFile)) throw new MimicbotFileError('EXPORT_NO_TOKENIZER', tokenizerFile, 'missing; export needs the tokenizer the model was trained with');
    const readBar = createProgressBar('read ', { unit: 'MB', scale: 1e6, stream: context.stderr, quiet: options.quiet });
    const { config, weights } = await loadHfCheckpoint(checkpoint, { onProgress: (done, total) => readBar.update(done, total) });
    readBar.stop();
    const tokenizer = await readTokenizerFiles(checkpoint);
    const { description } = await readModelCard(checkpoint); // train's description travels with the weights
    const extraModels: Record<string, ModelProto> = options['no-server-decoder'] ? {} : { [SERVER_DECODER_FILE]: buildGpt2ServerDecoder(config, weights) };
    for (const bits of quantizeBits) {
      const quantizeBar = createProgressBar(`q${bits}   `, { unit: 'M params', scale: 1e6, stream: context.stderr, quiet: options.quiet });
      Object.assign(extraModels, buildQuantizedGraphs(config, weights, quantizeSpecFromOptions(bits, options), (done, total) => quantizeBar.update(done, total)));
      quantizeBar.stop();
    }
    const writeBar = createProgressBar('write', { unit: 'MB', scale: 1e6, stream: context.stderr, quiet: options.quiet });
    await writeModelFolder(modelDir, { config, weights, tokenizer }, { overwrite: options.force, extraModels, card: { description }, onProgress: (done, total) => writeBar.update(done, total) });
    writeBar.stop();
    context.stdout.write(`wrote ${modelDir}: GPT-2 ${config.nLayer} layers x ${config.nHead} heads x ${config.nEmbd}, vocab ${config.vocabSize}\n`);
  },
});

/** `--quantize 8`, `4` or `8,4` (either order, each once); the quantization options only with it. */
export function parseQuantizeList(value: string | undefined, specOptions: QuantizeSpecValues): QuantBits[] {
  if (value === undefined) {
    const given = specOptions.block !== QUANTIZE_SPEC_OPTIONS.block.default || specOptions['keep-head'] || specOptions['head-bits'] !== undefined || specOptions.symmetric;
    if (given) throw new UsageError('--block, --keep-head, --head-bits and --symmetric go with --quantize 8|4');
    return [];
  }
  const bits = value.split(',').map((b) => b.trim());
  if (bits.some((b) => b !== '8' && b !== '4')) throw new UsageError(`--quantize must be 8, 4 or 8,4, got "${value}"`);
  return [...new Set(bits)].map((b) => Number(b) as QuantBits);
}
