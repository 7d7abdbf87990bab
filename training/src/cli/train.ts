/**
 * `train --data <dir> --out <dir> (--from <hf-dir> | --layers N --heads N --embd N ...) [--resume]`:
 * fine-tunes (or trains from scratch) a GPT-2 on `train.txt` / `valid.txt` with the ONNX training graph.
 * Writes <out>/checkpoint/ (a Hugging Face folder plus optimizer state; `export` and `--from` read it),
 * <out>/loss-curve.svg and <out>/samples.txt. With --resume it continues from <out>/checkpoint/.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { createTextTokenizer, readTokenizerFiles, toHfConfig, type TokenizerFiles } from '@mimicbot/model-format';
import { loadHfCheckpoint } from '../checkpoint/index.js';
import type { Gpt2Config } from '../model/gpt2-config.js';
import { initGpt2Weights } from '../model/init-weights.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { BYTE_LEVEL_VOCAB_SIZE, buildByteLevelTokenizer, buildGpt2Tokenizer } from '../tokenizer/index.js';
import { tokenizerVocabulary } from '../tokenizer/bpe-tokenizer.js';
import { createAdamWState, DEFAULT_ADAMW } from '../train/adamw.js';
import { lossCurveSvg } from '../train/loss-curve-svg.js';
import { sampleFromWeights } from '../train/samples.js';
import { tokenizeCorpus, type TokenCorpus } from '../train/token-corpus.js';
import { loadTrainingCheckpoint, saveTrainingCheckpoint } from '../train/training-checkpoint.js';
import { DEFAULT_TRAIN_OPTIONS, train, type Batching, type TrainerState, type TrainOptions } from '../train/trainer.js';
import { intOption, numberOption, processIo, UsageError, type CliIo } from './cli-io.js';
import { GPT2_VOCAB_SIZE, MODEL_SHAPE_OPTIONS, modelShapeFromFlags, tokenizerForVocab, type Vocab } from './model-shape-options.js';
import { reportCliError } from './report-error.js';

export const TRAIN_USAGE = `usage: train --data <dir> --out <dir> [--from <hf-dir> | --layers N --heads N --embd N --positions N (--vocab bytes|gpt2 | --tokenizer <dir>) --seed N]
             [--resume] [--steps N] [--batch B] [--seq T] [--lr X] [--min-lr X] [--warmup N] [--weight-decay X]
             [--grad-clip X] [--batching packed|padded] [--eval-every N] [--eval-batches N] [--checkpoint-every N]
             [--samples N] [--sample-tokens N] [--threads N]`;

export interface TrainPlan {
  dataDir: string;
  outDir: string;
  from?: string;
  resume: boolean;
  /** The shape for a model trained from scratch. */
  scratch: { config: Gpt2Config; vocab: Vocab; seed: number; tokenizerDir?: string };
  options: TrainOptions;
  samples: number;
  sampleTokens: number;
}

export function parseTrainArgs(argv: readonly string[]): TrainPlan {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      resume: { type: 'boolean' },
      ...MODEL_SHAPE_OPTIONS,
      tokenizer: { type: 'string' },
      seed: { type: 'string' },
      steps: { type: 'string' },
      batch: { type: 'string' },
      seq: { type: 'string' },
      lr: { type: 'string' },
      'min-lr': { type: 'string' },
      warmup: { type: 'string' },
      'weight-decay': { type: 'string' },
      'grad-clip': { type: 'string' },
      batching: { type: 'string' },
      'eval-every': { type: 'string' },
      'eval-batches': { type: 'string' },
      'checkpoint-every': { type: 'string' },
      samples: { type: 'string' },
      'sample-tokens': { type: 'string' },
      threads: { type: 'string' },
    },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.data) throw new UsageError('--data <dir> is required (the folder `prepare` wrote, with train.txt and valid.txt)');
  if (!values.out) throw new UsageError('--out <dir> is required');
  const shapeFlags = Object.keys(MODEL_SHAPE_OPTIONS) as (keyof typeof MODEL_SHAPE_OPTIONS)[];
  if (values.from && shapeFlags.some((f) => values[f] !== undefined)) throw new UsageError('--from takes the shape from the checkpoint; drop --layers/--heads/--embd/--positions/--vocab');
  if (values.tokenizer && (values.from || values.vocab)) throw new UsageError('--tokenizer gives a new model its vocabulary; drop --from and --vocab');
  // From scratch: the tiny shape, but 256 positions unless --positions says otherwise.
  const { config, vocab } = modelShapeFromFlags(values, { ...tinyGpt2Config(), nPositions: 256 }, 'bytes');
  const batching = values.batching ?? DEFAULT_TRAIN_OPTIONS.batching;
  if (batching !== 'packed' && batching !== 'padded') throw new UsageError(`--batching must be "packed" or "padded", got "${batching}"`);
  const d = DEFAULT_TRAIN_OPTIONS;
  const maxLr = numberOption(values.lr, 'lr') ?? d.schedule.maxLr;
  const steps = intOption(values.steps, 'steps') ?? d.steps;
  const options: TrainOptions = {
    steps,
    batchSize: intOption(values.batch, 'batch') ?? d.batchSize,
    seqLen: intOption(values.seq, 'seq', 2) ?? d.seqLen,
    schedule: {
      maxLr,
      minLr: numberOption(values['min-lr'], 'min-lr') ?? maxLr / 10,
      warmupSteps: intOption(values.warmup, 'warmup', 0) ?? Math.min(d.schedule.warmupSteps, Math.ceil(steps / 10)),
    },
    adamw: { ...DEFAULT_ADAMW, weightDecay: numberOption(values['weight-decay'], 'weight-decay') ?? DEFAULT_ADAMW.weightDecay },
    gradClip: numberOption(values['grad-clip'], 'grad-clip') ?? d.gradClip,
    batching: batching as Batching,
    seed: intOption(values.seed, 'seed', 0) ?? d.seed,
    evalEvery: intOption(values['eval-every'], 'eval-every') ?? d.evalEvery,
    evalBatches: intOption(values['eval-batches'], 'eval-batches') ?? d.evalBatches,
    checkpointEvery: intOption(values['checkpoint-every'], 'checkpoint-every') ?? d.checkpointEvery,
    threads: intOption(values.threads, 'threads'),
  };
  return {
    dataDir: values.data,
    outDir: values.out,
    from: values.from,
    resume: values.resume ?? false,
    scratch: { config, vocab, seed: options.seed, tokenizerDir: values.tokenizer },
    options,
    samples: intOption(values.samples, 'samples', 0) ?? 3,
    sampleTokens: intOption(values['sample-tokens'], 'sample-tokens') ?? 80,
  };
}

interface Start {
  state: TrainerState;
  tokenizer: TokenizerFiles;
  encode: (text: string) => number[];
  decode: (ids: number[]) => string;
  from: string;
}

/** The tokenizer of a folder; a folder without tokenizer.json gets GPT-2's or the byte-level one by vocab size. */
async function folderTokenizer(dir: string, vocabSize: number): Promise<TokenizerFiles> {
  if (existsSync(join(dir, 'tokenizer.json'))) return readTokenizerFiles(dir);
  if (vocabSize === GPT2_VOCAB_SIZE) return buildGpt2Tokenizer();
  if (vocabSize === BYTE_LEVEL_VOCAB_SIZE) return buildByteLevelTokenizer();
  throw new UsageError(`${dir}: no tokenizer.json, and vocab_size ${vocabSize} is neither GPT-2's nor the byte-level one`);
}

async function readTokenizerFolder(dir: string): Promise<TokenizerFiles> {
  try {
    return await readTokenizerFiles(dir);
  } catch (cause) {
    throw new UsageError(`--tokenizer ${dir}: cannot read its tokenizer.json and tokenizer_config.json (${(cause as Error).message})`);
  }
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

async function readCorpus(file: string, encode: (text: string) => number[], eos: number): Promise<TokenCorpus> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new UsageError(`${file}: cannot read it (${(cause as NodeJS.ErrnoException).code ?? cause}); run \`prepare\` first`);
  }
  return tokenizeCorpus(text, encode, eos);
}

export async function runTrain(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let plan: TrainPlan;
  try {
    plan = parseTrainArgs(argv);
  } catch (error) {
    io.stderr.write(`mimicbot: train: ${(error as Error).message}\n${TRAIN_USAGE}\n`);
    return 2;
  }
  try {
    await mkdir(plan.outDir, { recursive: true });
    const checkpointDir = join(plan.outDir, 'checkpoint');
    const start = await startingPoint(plan, checkpointDir);
    const { state } = start;
    const eos = state.config.eosTokenId;
    const trainCorpus = await readCorpus(join(plan.dataDir, 'train.txt'), start.encode, eos);
    const validFile = join(plan.dataDir, 'valid.txt');
    const validCorpus = existsSync(validFile) ? await readCorpus(validFile, start.encode, eos) : undefined;
    const { options } = plan;
    io.stderr.write(
      `train: from ${start.from}; ${trainCorpus.documents.length} posts / ${trainCorpus.stream.length} tokens to train on, ` +
        `${validCorpus?.stream.length ?? 0} to validate on; ${options.steps} steps of ${options.batchSize} x ${options.seqLen} (${options.batching})\n`,
    );
    const log = (line: string) => io.stdout.write(`${line}\n`);
    const bar = new SingleBar({
      stream: io.stderr,
      format: 'train [{bar}] {value}/{total} steps | loss {loss} | {tps} tok/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 20,
      fps: 2,
    });
    const plain = !io.stderr.isTTY; // a log file gets a line every 10 steps instead of a redrawn bar
    let tokens = 0, seconds = 0, stepsThisRun = 0;
    const runStart = Date.now();
    if (!plain) bar.start(options.steps, state.step, { loss: '-', tps: '-' });
    await train(state, { train: trainCorpus, valid: validCorpus, eosTokenId: eos }, options, {
      onStep: (s) => {
        tokens += s.tokens;
        seconds += s.seconds;
        stepsThisRun++;
        const tps = (tokens / seconds).toFixed(0);
        if (!plain) bar.update(s.step, { loss: s.loss.toFixed(4), tps });
        else if (s.step % 10 === 0 || s.step === options.steps) {
          const eta = ((options.steps - s.step) * (Date.now() - runStart)) / 1000 / stepsThisRun;
          io.stderr.write(`step ${s.step}/${options.steps} | loss ${s.loss.toFixed(4)} | lr ${s.lr.toExponential(2)} | grad norm ${s.gradNorm.toFixed(2)} | ${tps} tok/s | ETA ${Math.round(eta)} s\n`);
        }
      },
      onEval: (e) => log(`step ${e.step}: validation loss ${e.loss.toFixed(4)}, perplexity ${e.perplexity.toFixed(2)}`),
      onCheckpoint: (s) => saveTrainingCheckpoint(checkpointDir, s, start.tokenizer),
    });
    if (!plain) bar.stop();
    await writeFile(join(plan.outDir, 'loss-curve.svg'), lossCurveSvg(state.trainLoss, state.validLoss, { title: `loss, ${state.config.nLayer}x${state.config.nEmbd} GPT-2` }));
    log(`wrote ${checkpointDir} and ${join(plan.outDir, 'loss-curve.svg')}`);
    if (plan.samples > 0) {
      const samples = await sampleFromWeights(state.config, state.weights, { count: plan.samples, maxTokens: plan.sampleTokens, temperature: 0.8, topK: 40, seed: 1 });
      const text = samples.map((s) => `--- seed ${s.seed} (temperature 0.8, top-k 40, from <|endoftext|>)\n${start.decode(s.tokens)}\n`).join('');
      await writeFile(join(plan.outDir, 'samples.txt'), text);
      io.stdout.write(text);
    }
    return 0;
  } catch (error) {
    // Only a usage problem is this command's to word; file and system errors, and bugs, go to the shared boundary.
    if (!(error instanceof UsageError)) return reportCliError(error, io.stderr);
    io.stderr.write(`mimicbot: train: ${error.message}\n`);
    return 2;
  }
}
