/**
 * `init <out-dir>`: writes a model folder with random GPT-2 weights from a seed. Tiny by default (the
 * test shape); `--shape 124m` gives GPT-2 small's shape for benchmarks. Any shape option overrides the shape.
 */
import { GPT2_124M, type Gpt2Config } from '../model/gpt2-config.js';
import { initGpt2Weights } from '../model/init-weights.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { writeModelFolder } from '../model-folder/write-model-folder.js';
import { createProgressBar } from '../progress.js';
import { defineCommand } from './define-command.js';
import { modelShape, modelShapeOptions, tokenizerForVocab, type ModelShapeValues, type Vocab } from './model-shape-options.js';

/** The shape `init` writes: the named shape with the shape options applied. */
export function initShape(options: ModelShapeValues & { shape: 'tiny' | '124m' }): { config: Gpt2Config; vocab: Vocab } {
  const base = options.shape === '124m' ? { ...tinyGpt2Config(), ...GPT2_124M } : tinyGpt2Config();
  return modelShape(options, base, options.shape === '124m' ? 'gpt2' : 'bytes');
}

export const initCommand = defineCommand({
  name: 'init',
  description: 'write a model folder with random GPT-2 weights (tests, benchmarks)',
  args: [{ name: 'out-dir', description: 'the model folder to write' }],
  options: {
    shape: { type: 'choice', choices: ['tiny', '124m'], default: 'tiny', description: "tiny: 2 layers x 2 heads x 32, 64 positions, bytes; 124m: GPT-2 small's shape, gpt2 vocab" },
    ...modelShapeOptions({ layers: 'from --shape', heads: 'from --shape', embd: 'from --shape', positions: 'from --shape', vocab: 'from --shape' }),
    seed: { type: 'integer', min: 0, default: 0, description: 'seed of the random weights' },
    force: { type: 'boolean', description: 'replace the folder if it exists' },
    quiet: { type: 'boolean', description: 'no progress bars' },
  },
  async run({ args, options, context }) {
    const { config, vocab } = initShape(options);
    const outDir = args['out-dir'];
    const tokenizer = tokenizerForVocab(vocab, config.nPositions);
    const initBar = createProgressBar('init ', { unit: 'M floats', scale: 1e6, stream: context.stderr, quiet: options.quiet });
    const weights = initGpt2Weights(config, options.seed, { onProgress: (done, total) => initBar.update(done, total) });
    initBar.stop();
    const writeBar = createProgressBar('write', { unit: 'MB', scale: 1e6, stream: context.stderr, quiet: options.quiet });
    await writeModelFolder(outDir, { config, weights, tokenizer }, { overwrite: options.force, onProgress: (done, total) => writeBar.update(done, total) });
    writeBar.stop();
    context.stdout.write(
      `wrote ${outDir}: GPT-2 ${config.nLayer} layers x ${config.nHead} heads x ${config.nEmbd}, ` +
        `${config.nPositions} positions, vocab ${config.vocabSize} (${vocab}), seed ${options.seed}\n`,
    );
  },
});
