/**
 * `prepare <in.jsonl...> --out <dir>`: cleans, filters, dedupes and splits posts into `train.txt` and
 * `valid.txt` (each post followed by `<|endoftext|>`) and `dataset.json`, and prints counts and token
 * statistics under the GPT-2 tokenizer (or a model folder's, with `--tokenizer`).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createTokenizer, loadTokenizer } from '@mimicbot/model-format';
import { MimicbotFileError } from '../errors.js';
import { DEFAULT_CLEAN_OPTIONS } from '../data/clean-tweet.js';
import { prepareDataset, type PrepareOptions, type TokenCounter } from '../data/prepare-dataset.js';
import type { TokenStats } from '../data/token-stats.js';
import { formatLineProblem } from '../data/tweet-jsonl.js';
import { writeDataset } from '../data/write-dataset.js';
import { buildGpt2Tokenizer } from '../tokenizer/index.js';
import { intOption, numberOption, processIo, UsageError, type CliIo } from './cli-io.js';
import { reportCliError } from './report-error.js';

export const PREPARE_USAGE = `usage: prepare <in.jsonl...> [--out DIR] [--valid FRACTION] [--min-chars N]
               [--strip-mentions] [--strip-hashtags] [--replies] [--tokenizer MODEL_DIR]`;

// Bad lines are each worth a line on stderr, up to a point; past it a count says the rest.
const MAX_PROBLEMS_SHOWN = 20;

export interface PreparePlan {
  inputs: string[];
  outDir: string;
  options: PrepareOptions;
  tokenizerDir?: string;
}

export function parsePrepareArgs(argv: readonly string[]): PreparePlan {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      valid: { type: 'string' },
      'min-chars': { type: 'string' },
      'strip-mentions': { type: 'boolean' },
      'strip-hashtags': { type: 'boolean' },
      replies: { type: 'boolean' },
      tokenizer: { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('expected at least one JSONL file');
  const validFraction = numberOption(values.valid, 'valid') ?? 0.05;
  if (validFraction >= 1) throw new UsageError(`--valid must be below 1, got "${values.valid}"`);
  return {
    inputs: positionals,
    outDir: values.out ?? 'data/dataset',
    tokenizerDir: values.tokenizer,
    options: {
      stripMentions: values['strip-mentions'] ?? DEFAULT_CLEAN_OPTIONS.stripMentions,
      stripHashtags: values['strip-hashtags'] ?? DEFAULT_CLEAN_OPTIONS.stripHashtags,
      keepReplies: values.replies ?? DEFAULT_CLEAN_OPTIONS.keepReplies,
      minChars: intOption(values['min-chars'], 'min-chars', 0) ?? DEFAULT_CLEAN_OPTIONS.minChars,
      validFraction,
    },
  };
}

export async function runPrepare(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let plan: PreparePlan;
  try {
    plan = parsePrepareArgs(argv);
  } catch (error) {
    io.stderr.write(`mimicbot: prepare: ${(error as Error).message}\n${PREPARE_USAGE}\n`);
    return 2;
  }
  try {
    const inputs = await Promise.all(plan.inputs.map(async (file) => ({ file, content: await readFile(file, 'utf8') })));
    const counter = await tokenCounter(plan.tokenizerDir);
    const dataset = prepareDataset(inputs, plan.options, counter);
    dataset.problems.slice(0, MAX_PROBLEMS_SHOWN).forEach((p) => io.stderr.write(`mimicbot: ${formatLineProblem(p)} (skipped)\n`));
    if (dataset.problems.length > MAX_PROBLEMS_SHOWN) {
      io.stderr.write(`mimicbot: ... and ${dataset.problems.length - MAX_PROBLEMS_SHOWN} more bad lines (skipped)\n`);
    }
    const { counts, tokens } = dataset.summary;
    if (counts.kept === 0) {
      throw new MimicbotFileError('DATA_EMPTY', plan.inputs.join(', '), `no posts left after cleaning (${dropSummary(counts.dropped)})`);
    }
    await writeDataset(plan.outDir, dataset);
    io.stdout.write(
      `read ${counts.read} posts from ${plan.inputs.length} file(s)` +
        (counts.skippedLines > 0 ? ` (${counts.skippedLines} bad lines skipped)` : '') +
        `; kept ${counts.kept}; left out ${dropSummary(counts.dropped)}\n` +
        `train: ${counts.train} posts, ${statsLine(tokens.train)}\n` +
        `valid: ${counts.valid} posts, ${statsLine(tokens.valid)}\n` +
        `tokens counted with ${tokens.tokenizer}; wrote ${plan.outDir}/train.txt, valid.txt, dataset.json\n`,
    );
    return 0;
  } catch (error) {
    return reportCliError(error, io.stderr);
  }
}

async function tokenCounter(dir: string | undefined): Promise<TokenCounter> {
  if (dir !== undefined) {
    const tokenizer = await loadTokenizer(dir);
    return { name: dir, count: (text) => tokenizer.encode(text).ids.length };
  }
  const tokenizer = createTokenizer(buildGpt2Tokenizer());
  return { name: 'gpt2', count: (text) => tokenizer.encode(text).ids.length };
}

function statsLine(s: TokenStats): string {
  return `${s.totalTokens.toLocaleString('en')} tokens (with one <|endoftext|> each), per post mean ${s.meanPerPost.toFixed(1)}, p95 ${s.p95PerPost}, max ${s.maxPerPost}`;
}

const DROP_LABELS: Record<string, string> = { retweet: 'retweets', reply: 'replies', 'near-empty': 'near-empty', duplicate: 'duplicates' };

function dropSummary(dropped: Record<string, number>): string {
  return Object.entries(dropped)
    .map(([reason, n]) => `${DROP_LABELS[reason] ?? reason} ${n}`)
    .join(', ');
}
