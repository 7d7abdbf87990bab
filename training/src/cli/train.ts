/**
 * `train --data <dir> --out <dir> (--from <hf-dir> | --layers N --heads N --embd N ...) [--resume | --force]`:
 * fine-tunes (or trains from scratch) a GPT-2 on `train.txt` / `valid.txt` with the ONNX training graph.
 * Writes <out>/checkpoint/ (a Hugging Face folder plus optimizer state; `export` and `--from` read it),
 * <out>/loss-curve.svg and <out>/samples.txt. With --resume it continues from <out>/checkpoint/; without it, a
 * folder that already holds a run is refused unless --force says to start over.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTextTokenizer, readTokenizerFiles, toHfConfig, type TokenizerFiles } from '@mimicbot/model-format';
import { loadHfCheckpoint } from '../checkpoint/index.js';
import { MimicbotFileError } from '../errors.js';
import type { Gpt2Config } from '../model/gpt2-config.js';
import { initGpt2Weights } from '../model/init-weights.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { createProgressBar, formatDuration } from '../progress.js';
import { BYTE_LEVEL_VOCAB_SIZE, buildByteLevelTokenizer, buildGpt2Tokenizer } from '../tokenizer/index.js';
import { tokenizerVocabulary } from '../tokenizer/bpe-tokenizer.js';
import { createAdamWState, DEFAULT_ADAMW } from '../train/adamw.js';
import { lossCurveSvg } from '../train/loss-curve-svg.js';
import { sampleFromWeights } from '../train/samples.js';
import { tokenizeCorpus, type TokenCorpus } from '../train/token-corpus.js';
import { loadTrainingCheckpoint, saveTrainingCheckpoint } from '../train/training-checkpoint.js';
import { DEFAULT_TRAIN_OPTIONS, train, TrainingError, type TrainerState, type TrainOptions } from '../train/trainer.js';
import { CommandFailure, UsageError, type CliContext } from './cli-context.js';
import { defineCommand, type OptionValues } from './define-command.js';
import { folderKind } from './folder-kind.js';
import { GPT2_VOCAB_SIZE, modelShape, modelShapeOptions, tokenizerForVocab, type Vocab } from './model-shape-options.js';

const d = DEFAULT_TRAIN_OPTIONS;
// From scratch: the tiny shape, but 256 positions unless --positions says otherwise.
const SCRATCH: Gpt2Config = { ...tinyGpt2Config(), nPositions: 256 };
/** What a run writes into --out; --force removes these (and only these) before starting over. */
const RUN_FILES = ['checkpoint', 'loss-curve.svg', 'samples.txt'];

const TRAIN_OPTIONS = {
  data: { type: 'string', required: true, placeholder: 'DIR', description: 'the dataset folder prepare wrote (train.txt, valid.txt)' },
  out: { type: 'string', required: true, placeholder: 'DIR', description: 'the run folder: checkpoint/, loss-curve.svg, samples.txt' },
  from: {
    type: 'string',
    placeholder: 'DIR',
    defaultText: 'none: train a new model, shaped by the options below',
    description: 'fine-tune this Hugging Face GPT-2 folder (download writes one; so does a run, in checkpoint/)',
  },
  resume: { type: 'boolean', description: "continue the run in --out from its checkpoint (--steps is the run's total)" },
  force: { type: 'boolean', description: 'when --out already holds a run, replace it (checkpoint, loss curve, samples)' },
  ...modelShapeOptions({
    layers: String(SCRATCH.nLayer),
    heads: String(SCRATCH.nHead),
    embd: String(SCRATCH.nEmbd),
    positions: String(SCRATCH.nPositions),
    vocab: 'bytes',
  }),
  tokenizer: {
    type: 'string',
    placeholder: 'DIR',
    defaultText: 'none: the --vocab one',
    description: "a new model's tokenizer folder (tokenizer.json, tokenizer_config.json), e.g. a BPE learned by train:default; sets the vocabulary",
  },
  seed: { type: 'integer', min: 0, default: d.seed, description: 'seed of new weights and of the batches' },
  steps: { type: 'integer', min: 1, default: d.steps, description: 'optimizer steps in all' },
  batch: { type: 'integer', min: 1, default: d.batchSize, description: 'sequences per step (B)' },
  seq: { type: 'integer', min: 2, default: d.seqLen, description: "tokens per sequence (T), at most the model's context" },
  lr: { type: 'number', min: 0, default: d.schedule.maxLr, defaultText: '6e-4', description: 'peak learning rate' },
  'min-lr': { type: 'number', min: 0, defaultText: 'lr / 10', description: 'learning rate at the end of the cosine decay' },
  warmup: { type: 'integer', min: 0, defaultText: `min(${d.schedule.warmupSteps}, steps / 10)`, description: 'steps of linear warm-up' },
  'weight-decay': { type: 'number', min: 0, default: DEFAULT_ADAMW.weightDecay, description: 'AdamW decoupled weight decay (matmul weights only)' },
  'grad-clip': { type: 'number', min: 0, default: d.gradClip, description: 'cap on the global gradient norm; 0 turns clipping off' },
  batching: { type: 'choice', choices: ['packed', 'padded'], default: d.batching, description: 'packed: posts back to back; padded: one post per row' },
  'eval-every': { type: 'integer', min: 1, default: d.evalEvery, description: 'steps between validation losses' },
  'eval-batches': { type: 'integer', min: 1, default: d.evalBatches, description: 'validation batches per evaluation, at most' },
  'checkpoint-every': { type: 'integer', min: 1, default: d.checkpointEvery, description: 'steps between checkpoints (and one at the end)' },
  samples: { type: 'integer', min: 0, default: 3, description: 'samples written to samples.txt at the end' },
  'sample-tokens': { type: 'integer', min: 1, default: 80, description: 'tokens per sample' },
  threads: { type: 'integer', min: 1, defaultText: "onnxruntime's choice", description: 'CPU threads for the training graph' },
} as const;

type TrainValues = OptionValues<typeof TRAIN_OPTIONS>;

export interface TrainPlan {
  dataDir: string;
  outDir: string;
  from?: string;
  resume: boolean;
  force: boolean;
  /** The shape for a model trained from scratch. */
  scratch: { config: Gpt2Config; vocab: Vocab; seed: number; tokenizerDir?: string };
  options: TrainOptions;
  samples: number;
  sampleTokens: number;
}

/** The run the options describe; a combination that cannot work is a UsageError. */
export function trainPlan(values: TrainValues): TrainPlan {
  const shapeGiven = (['layers', 'heads', 'embd', 'positions', 'vocab'] as const).filter((f) => values[f] !== undefined);
  if (values.from && shapeGiven.length > 0) throw new UsageError(`--from takes the shape from the checkpoint; drop --${shapeGiven.join(', --')}`);
  if (values.tokenizer && (values.from || values.vocab)) throw new UsageError('--tokenizer gives a new model its vocabulary; drop --from and --vocab');
  if (values.resume && values.force) throw new UsageError('--resume continues the run and --force replaces it; pass one of them');
  const { config, vocab } = modelShape(values, SCRATCH, 'bytes');
  const options: TrainOptions = {
    steps: values.steps,
    batchSize: values.batch,
    seqLen: values.seq,
    schedule: {
      maxLr: values.lr,
      minLr: values['min-lr'] ?? values.lr / 10,
      warmupSteps: values.warmup ?? Math.min(d.schedule.warmupSteps, Math.ceil(values.steps / 10)),
    },
    adamw: { ...DEFAULT_ADAMW, weightDecay: values['weight-decay'] },
    gradClip: values['grad-clip'],
    batching: values.batching,
    seed: values.seed,
    evalEvery: values['eval-every'],
    evalBatches: values['eval-batches'],
    checkpointEvery: values['checkpoint-every'],
    threads: values.threads,
  };
  return {
    dataDir: values.data,
    outDir: values.out,
    from: values.from,
    resume: values.resume,
    force: values.force,
    scratch: { config, vocab, seed: options.seed, tokenizerDir: values.tokenizer },
    options,
    samples: values.samples,
    sampleTokens: values['sample-tokens'],
  };
}

export const trainCommand = defineCommand({
  name: 'train',
  description: 'fine-tune GPT-2 on a prepared dataset (or train one from scratch) on onnxruntime',
  args: [],
  options: TRAIN_OPTIONS,
  notes: ['Writes <out>/checkpoint (export reads it), <out>/loss-curve.svg and <out>/samples.txt.'],
  async run({ options, context }) {
    await runTraining(trainPlan(options), context);
  },
});

interface Start {
  state: TrainerState;
  tokenizer: TokenizerFiles;
  encode: (text: string) => number[];
  decode: (ids: number[]) => string;
  from: string;
}

async function runTraining(plan: TrainPlan, context: CliContext): Promise<void> {
  const checkpointDir = join(plan.outDir, 'checkpoint');
  await refuseToOverwrite(plan, checkpointDir);
  const start = await startingPoint(plan, checkpointDir);
  const { state } = start;
  const eos = state.config.eosTokenId;
  const trainCorpus = await readCorpus(join(plan.dataDir, 'train.txt'), start.encode, eos);
  const validFile = join(plan.dataDir, 'valid.txt');
  const validCorpus = existsSync(validFile) ? await readCorpus(validFile, start.encode, eos) : undefined;
  if (plan.force) {
    // Only now: the starting point is in memory, even when --from pointed into the run being replaced.
    await Promise.all(RUN_FILES.map((f) => rm(join(plan.outDir, f), { recursive: true, force: true })));
  }
  await mkdir(plan.outDir, { recursive: true });
  const { options } = plan;
  const { stderr, stdout } = context;
  stderr.write(
    `train: from ${start.from}; ${trainCorpus.documents.length} posts / ${trainCorpus.stream.length} tokens to train on, ` +
      `${validCorpus?.stream.length ?? 0} to validate on; ${options.steps} steps of ${options.batchSize} x ${options.seqLen} (${options.batching})\n`,
  );
  const log = (line: string) => stdout.write(`${line}\n`);
  const bar = createProgressBar('train', { unit: 'steps', stream: stderr });
  const plain = !stderr.isTTY; // a log file gets a line every 10 steps instead of a redrawn bar
  let tokens = 0, seconds = 0, stepsThisRun = 0;
  const runStart = context.clock.now();
  try {
    await train(state, { train: trainCorpus, valid: validCorpus, eosTokenId: eos }, options, {
      onStep: (s) => {
        tokens += s.tokens;
        seconds += s.seconds;
        stepsThisRun++;
        const tps = (tokens / seconds).toFixed(0);
        bar.update(s.step, options.steps, `loss ${s.loss.toFixed(4)} | ${tps} tok/s`);
        if (plain && (s.step % 10 === 0 || s.step === options.steps)) {
          const eta = ((options.steps - s.step) * (context.clock.now() - runStart)) / 1000 / stepsThisRun;
          stderr.write(
            `step ${s.step}/${options.steps} | loss ${s.loss.toFixed(4)} | lr ${s.lr.toExponential(2)} | grad norm ${s.gradNorm.toFixed(2)} | ` +
              `${tps} tok/s | ETA ${formatDuration(eta)}\n`,
          );
        }
      },
      onEval: (e) => log(`step ${e.step}: validation loss ${e.loss.toFixed(4)}, perplexity ${e.perplexity.toFixed(2)}`),
      onCheckpoint: (s) => saveTrainingCheckpoint(checkpointDir, s, start.tokenizer),
    });
  } catch (error) {
    throw error instanceof TrainingError ? withFlag(error) : error;
  } finally {
    bar.stop();
  }
  await writeFile(join(plan.outDir, 'loss-curve.svg'), lossCurveSvg(state.trainLoss, state.validLoss, { title: `loss, ${state.config.nLayer}x${state.config.nEmbd} GPT-2` }));
  log(`wrote ${checkpointDir} and ${join(plan.outDir, 'loss-curve.svg')}`);
  if (plan.samples > 0) {
    const samples = await sampleFromWeights(state.config, state.weights, { count: plan.samples, maxTokens: plan.sampleTokens, temperature: 0.8, topK: 40, seed: 1 });
    const text = samples.map((s) => `--- seed ${s.seed} (temperature 0.8, top-k 40, from <|endoftext|>)\n${start.decode(s.tokens)}\n`).join('');
    await writeFile(join(plan.outDir, 'samples.txt'), text);
    stdout.write(text);
  }
}

/** The trainer names its own option; the CLI says which flag that is. */
function withFlag(error: TrainingError): Error {
  const flag = { seqLen: '--seq', 'schedule.maxLr': '--lr' }[error.option];
  return error.code === 'SEQ_TOO_LONG' ? new UsageError(`${flag}: ${error.message}`) : new CommandFailure(`${error.message} (${flag})`);
}

/** A run folder's work is hours of CPU: starting over needs --force, going on needs --resume. */
async function refuseToOverwrite(plan: TrainPlan, checkpointDir: string): Promise<void> {
  if (plan.resume || plan.force) return;
  const existing = RUN_FILES.filter((f) => existsSync(join(plan.outDir, f)));
  if (existing.length === 0) return;
  const step = await checkpointStep(checkpointDir);
  throw new MimicbotFileError(
    'TRAIN_RUN_EXISTS',
    plan.outDir,
    `already holds a training run (${step === undefined ? existing.join(', ') : `checkpoint at step ${step}`}); ` +
      'pass --resume to continue it, --force to replace it, or choose another --out',
  );
}

async function checkpointStep(checkpointDir: string): Promise<number | undefined> {
  try {
    const step = (JSON.parse(await readFile(join(checkpointDir, 'trainer_state.json'), 'utf8')) as { step?: unknown }).step;
    return typeof step === 'number' ? step : undefined;
  } catch {
    return undefined;
  }
}

/** The tokenizer of a folder; a folder without tokenizer.json gets GPT-2's or the byte-level one by vocab size. */
async function folderTokenizer(dir: string, vocabSize: number): Promise<TokenizerFiles> {
  if (existsSync(join(dir, 'tokenizer.json'))) return readTokenizerFiles(dir);
  if (vocabSize === GPT2_VOCAB_SIZE) return buildGpt2Tokenizer();
  if (vocabSize === BYTE_LEVEL_VOCAB_SIZE) return buildByteLevelTokenizer();
  throw new MimicbotFileError('TRAIN_NO_TOKENIZER', dir, `no tokenizer.json, and vocab_size ${vocabSize} is neither GPT-2's nor the byte-level one`);
}

async function startingPoint(plan: TrainPlan, checkpointDir: string): Promise<Start> {
  let state: TrainerState;
  let tokenizer: TokenizerFiles;
  let from: string;
  if (plan.resume) {
    if (!existsSync(join(checkpointDir, 'trainer_state.json'))) throw new UsageError(`--resume: ${checkpointDir} holds no checkpoint to resume`);
    state = await loadTrainingCheckpoint(checkpointDir);
    tokenizer = await readTokenizerFiles(checkpointDir);
    from = `${checkpointDir} (step ${state.step})`;
  } else if (plan.from) {
    const kind = folderKind(plan.from);
    if (kind === 'training-run') throw new UsageError(`--from ${plan.from} is a training run; start from its checkpoint: --from ${join(plan.from, 'checkpoint')}`);
    if (kind === 'model-folder' && !existsSync(join(plan.from, 'model.safetensors'))) {
      throw new UsageError(`--from ${plan.from} is a model folder (ONNX), which holds no trainable weights; start from the checkpoint it was exported or converted from`);
    }
    const { config, weights } = await loadHfCheckpoint(plan.from);
    state = { config, weights, optimizer: createAdamWState(weights), step: 0, trainLoss: [], validLoss: [] };
    tokenizer = await folderTokenizer(plan.from, config.vocabSize);
    from = plan.from;
  } else {
    const { vocab, seed, tokenizerDir } = plan.scratch;
    let { config } = plan.scratch;
    // A tokenizer folder (our own BPE, say) sets the vocabulary size and the end-of-text id.
    tokenizer = tokenizerDir ? await readTokenizerFolder(tokenizerDir) : tokenizerForVocab(vocab, config.nPositions);
    if (tokenizerDir) {
      const { vocabSize, endOfTextId } = tokenizerVocabulary(tokenizer);
      config = { ...config, vocabSize, bosTokenId: endOfTextId, eosTokenId: endOfTextId };
    }
    const weights = initGpt2Weights(config, seed);
    state = { config, weights, optimizer: createAdamWState(weights), step: 0, trainLoss: [], validLoss: [] };
    from = `scratch (${config.nLayer} layers x ${config.nHead} heads x ${config.nEmbd}, vocab ${tokenizerDir ?? vocab} (${config.vocabSize} ids), seed ${seed})`;
  }
  // The server's text tokenizer, so the corpus is encoded and the samples decoded as the server will.
  const text = createTextTokenizer({ ...tokenizer, modelConfig: toHfConfig(state.config) }, plan.resume ? checkpointDir : (plan.from ?? '.'));
  return { state, tokenizer, from, encode: text.encode, decode: text.decode };
}

async function readTokenizerFolder(dir: string): Promise<TokenizerFiles> {
  try {
    return await readTokenizerFiles(dir);
  } catch (cause) {
    throw new UsageError(`--tokenizer ${dir}: cannot read its tokenizer.json and tokenizer_config.json (${(cause as Error).message})`);
  }
}

async function readCorpus(file: string, encode: (text: string) => number[], eos: number): Promise<TokenCorpus> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new MimicbotFileError('TRAIN_NO_DATA', file, `cannot read it (${(cause as NodeJS.ErrnoException).code ?? cause}); run \`prepare\` first`, { cause });
  }
  return tokenizeCorpus(text, encode, eos);
}
