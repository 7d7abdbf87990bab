/**
 * `npm run train:default -w training`: reproduces server/default-model/, the model `npm start` serves when
 * no MODEL_DIR is set: a small GPT-2 trained from scratch by our own trainer on Debian's `fortunes`, with a
 * byte-level BPE vocabulary learned from the same text by our own BPE trainer.
 *
 *   1. corpus     fortunes (+ the Devil's Dictionary, training side only) -> <work>/data/{train,valid}.txt
 *                 (validation: today's split, 658 entries)
 *   2. tokenizer  <work>/tokenizer/ (learned once, then kept)
 *   3. train      <work>/run/ (re-running resumes from its checkpoint; hours on two cores)
 *   4. finalize   export <work>/model/, measure bits per byte and write samples, copy the shipped files into
 *                 server/default-model/ (at most 25 MB), write the card (README.md) and the loss curve
 *
 * `--stage train` stops after 3 (what a long background run uses); `--stage finalize` runs only 4, on the
 * finished run. Options: --work DIR (default training/.tmp/default-model), --fortunes DIR, --dictd DIR
 * (dict-devil's files, default /usr/share/dictd), --threads N,
 * --target DIR, --assets DIR, and the recipe's --vocab-size --layers --heads --embd --steps --lr (pilots).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { trainCommand } from '../src/cli/train.js';
import { writeCorpus } from './default-model/corpus.js';
import { finalizeDefaultModel } from './default-model/finalize.js';
import { DEFAULT_RECIPE, recipeTrainArgs, type Recipe } from './default-model/recipe.js';
import { learnTokenizer } from './default-model/tokenizer.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const { values } = parseArgs({
  options: {
    stage: { type: 'string', default: 'all' },
    fortunes: { type: 'string', default: '/usr/share/games/fortunes' },
    dictd: { type: 'string', default: '/usr/share/dictd' },
    work: { type: 'string', default: join(REPO, 'training/.tmp/default-model') },
    threads: { type: 'string', default: '2' },
    target: { type: 'string', default: join(REPO, 'server/default-model') },
    assets: { type: 'string', default: join(REPO, 'assets') },
    'vocab-size': { type: 'string' },
    layers: { type: 'string' },
    heads: { type: 'string' },
    embd: { type: 'string' },
    steps: { type: 'string' },
    lr: { type: 'string' },
  },
});

function recipe(): Recipe {
  const int = (flag: keyof typeof values, fallback: number) => (values[flag] === undefined ? fallback : Number.parseInt(String(values[flag]), 10));
  return {
    ...DEFAULT_RECIPE,
    vocabSize: int('vocab-size', DEFAULT_RECIPE.vocabSize),
    layers: int('layers', DEFAULT_RECIPE.layers),
    heads: int('heads', DEFAULT_RECIPE.heads),
    embd: int('embd', DEFAULT_RECIPE.embd),
    steps: int('steps', DEFAULT_RECIPE.steps),
    lr: values.lr === undefined ? DEFAULT_RECIPE.lr : Number(values.lr),
  };
}

async function trainStages(r: Recipe, work: string): Promise<number> {
  const data = join(work, 'data');
  const corpus = await writeCorpus(values.fortunes, values.dictd, data);
  process.stderr.write(`corpus: ${corpus.files} fortune files; train ${corpus.train} posts + ${corpus.long} longer entries + ${corpus.devil} Devil's Dictionary entries, validation ${corpus.valid} posts (${corpus.validBytes} bytes)\n`);
  const tokenizerDir = join(work, 'tokenizer');
  process.stderr.write(`tokenizer: ${await learnTokenizer(join(data, 'train.txt'), tokenizerDir, r.vocabSize, r.positions)}\n`);
  const run = join(work, 'run');
  const resume = existsSync(join(run, 'checkpoint/trainer_state.json'));
  return trainCommand.run(recipeTrainArgs(r, { data, run, tokenizerDir, resume, threads: values.threads }));
}

async function main(): Promise<number> {
  const { stage, work } = values;
  if (!['all', 'train', 'finalize'].includes(stage)) throw new Error(`--stage must be all, train or finalize, got "${stage}"`);
  const r = recipe();
  if (stage !== 'finalize') {
    const trained = await trainStages(r, work);
    if (trained !== 0 || stage === 'train') return trained;
  }
  await finalizeDefaultModel({ recipe: r, work, target: values.target, assets: values.assets, repo: REPO, threads: Number(values.threads) });
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`train:default: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
