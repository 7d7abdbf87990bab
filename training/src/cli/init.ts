/**
 * `init <out-dir>`: writes a model folder with random GPT-2 weights from a seed. Tiny by default (the
 * test shape); `--shape 124m` gives GPT-2 small's shape for benchmarks. Any flag overrides the shape.
 */
import { parseArgs } from 'node:util';
import { GPT2_124M, type Gpt2Config } from '../model/gpt2-config.js';
import { initGpt2Weights } from '../model/init-weights.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { createProgressBar } from '../progress.js';
import { writeModelFolder } from '../model-folder/write-model-folder.js';
import { intOption, processIo, UsageError, type CliIo } from './cli-io.js';
import { MODEL_SHAPE_OPTIONS, modelShapeFromFlags, tokenizerForVocab, type Vocab } from './model-shape-options.js';
import { reportCliError } from './report-error.js';

export const INIT_USAGE = `usage: init <out-dir> [--shape tiny|124m] [--layers N] [--heads N] [--embd N] [--positions N]
            [--vocab bytes|gpt2] [--seed N] [--force] [--quiet]`;

export interface InitPlan {
  outDir: string;
  config: Gpt2Config;
  vocab: Vocab;
  seed: number;
  force: boolean;
  quiet: boolean;
}

export function parseInitArgs(argv: readonly string[]): InitPlan {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      shape: { type: 'string' },
      ...MODEL_SHAPE_OPTIONS,
      seed: { type: 'string' },
      force: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one output folder, got ${positionals.length} arguments`);
  const shape = values.shape ?? 'tiny';
  if (shape !== 'tiny' && shape !== '124m') throw new UsageError(`--shape must be "tiny" or "124m", got "${shape}"`);
  const base = shape === '124m' ? { ...tinyGpt2Config(), ...GPT2_124M } : tinyGpt2Config();
  const { config, vocab } = modelShapeFromFlags(values, base, shape === '124m' ? 'gpt2' : 'bytes');
  return { outDir: positionals[0], config, vocab, seed: intOption(values.seed, 'seed', 0) ?? 0, force: values.force ?? false, quiet: values.quiet ?? false };
}

export async function runInit(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let plan: InitPlan;
  try {
    plan = parseInitArgs(argv);
  } catch (error) {
    io.stderr.write(`mimicbot: init: ${(error as Error).message}\n${INIT_USAGE}\n`);
    return 2;
  }
  const { config, outDir } = plan;
  try {
    const tokenizer = tokenizerForVocab(plan.vocab, config.nPositions);
    const initBar = createProgressBar('init ', { unit: 'M floats', scale: 1e6, stream: io.stderr, quiet: plan.quiet });
    const weights = initGpt2Weights(config, plan.seed, { onProgress: (done, total) => initBar.update(done, total) });
    initBar.stop();
    const writeBar = createProgressBar('write', { unit: 'MB', scale: 1e6, stream: io.stderr, quiet: plan.quiet });
    await writeModelFolder(outDir, { config, weights, tokenizer }, { overwrite: plan.force, onProgress: (done, total) => writeBar.update(done, total) });
    writeBar.stop();
    io.stdout.write(
      `wrote ${outDir}: GPT-2 ${config.nLayer} layers x ${config.nHead} heads x ${config.nEmbd}, ` +
        `${config.nPositions} positions, vocab ${config.vocabSize} (${plan.vocab}), seed ${plan.seed}\n`,
    );
    return 0;
  } catch (error) {
    return reportCliError(error, io.stderr);
  }
}
