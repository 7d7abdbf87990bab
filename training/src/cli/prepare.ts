/**
 * `prepare <in.jsonl...> --out <dir>`: cleans, filters, dedupes and splits posts into `train.txt` and
 * `valid.txt` (each post followed by `<|endoftext|>`) and `dataset.json`, and prints counts and token
 * statistics under the GPT-2 tokenizer (or a model folder's, with `--tokenizer`).
 */
import { stat } from 'node:fs/promises';
import { createTokenizer, loadTokenizer } from '@mimicbot/model-format';
import { MimicbotFileError } from '../errors.js';
import { DEFAULT_CLEAN_OPTIONS } from '../data/clean-tweet.js';
import { prepareDataset, type TokenCounter } from '../data/prepare-dataset.js';
import type { TokenStats } from '../data/token-stats.js';
import { formatLineProblem, readTweetJsonl, type ParsedJsonl } from '../data/tweet-jsonl.js';
import { writeDataset } from '../data/write-dataset.js';
import { buildGpt2Tokenizer } from '../tokenizer/index.js';
import { UsageError, type CliContext } from './cli-context.js';
import { defineCommand } from './define-command.js';
import { oneLine } from './report-error.js';

// Bad lines are each worth a line on stderr, up to a point; past it a count says the rest.
const MAX_PROBLEMS_SHOWN = 20;

export const prepareCommand = defineCommand({
  name: 'prepare',
  description: 'clean, filter, dedupe and split JSONL posts into a training dataset',
  args: [{ name: 'in.jsonl', variadic: true, description: 'what fetch and import wrote; folders among them are skipped' }],
  options: {
    out: { type: 'string', placeholder: 'DIR', default: 'data/dataset', description: 'the dataset folder to write (train.txt, valid.txt, dataset.json)' },
    valid: { type: 'number', min: 0, default: 0.05, placeholder: 'FRACTION', description: 'share of posts held out for validation (below 1)' },
    'min-chars': { type: 'integer', min: 0, default: DEFAULT_CLEAN_OPTIONS.minChars, description: 'posts with fewer non-space characters are left out' },
    'strip-mentions': { type: 'boolean', description: 'remove every @mention' },
    'strip-hashtags': { type: 'boolean', description: 'remove every #hashtag' },
    replies: { type: 'boolean', description: 'keep replies to others, minus their leading @handles' },
    tokenizer: { type: 'string', placeholder: 'MODEL_DIR', defaultText: "GPT-2's", description: "count tokens with this model folder's tokenizer" },
  },
  notes: ['Bad lines (not JSON, not a post, longer than 1 MB) are reported as file:line and skipped.'],
  async run({ args, options, context }) {
    if (options.valid >= 1) throw new UsageError(`--valid must be below 1, got ${options.valid}`);
    const inputs: ParsedJsonl[] = [];
    for (const file of await filesOnly(args['in.jsonl'], context)) inputs.push(await readTweetJsonl(file));
    if (inputs.length === 0) throw new UsageError('no files to read: every argument is a folder');
    const counter = await tokenCounter(options.tokenizer);
    const dataset = prepareDataset(
      inputs,
      {
        stripMentions: options['strip-mentions'],
        stripHashtags: options['strip-hashtags'],
        keepReplies: options.replies,
        minChars: options['min-chars'],
        validFraction: options.valid,
      },
      counter,
    );
    const { counts, tokens } = dataset.summary;
    dataset.problems.slice(0, MAX_PROBLEMS_SHOWN).forEach((p) => context.stderr.write(`mimicbot: ${oneLine(formatLineProblem(p))} (skipped)\n`));
    if (counts.skippedLines > MAX_PROBLEMS_SHOWN) {
      context.stderr.write(`mimicbot: ... and ${counts.skippedLines - MAX_PROBLEMS_SHOWN} more bad lines (skipped)\n`);
    }
    const names = inputs.map((i) => i.file);
    if (counts.kept === 0) {
      throw new MimicbotFileError('DATA_EMPTY', names.join(', '), `no posts left after cleaning (${dropSummary(counts.dropped)})`);
    }
    await writeDataset(options.out, dataset);
    context.stdout.write(
      `read ${counts.read} posts from ${names.length} file(s)` +
        (counts.skippedLines > 0 ? ` (${counts.skippedLines} bad lines skipped)` : '') +
        `; kept ${counts.kept}; left out ${dropSummary(counts.dropped)}\n` +
        `train: ${counts.train} posts, ${statsLine(tokens.train)}\n` +
        `valid: ${counts.valid} posts, ${statsLine(tokens.valid)}\n` +
        `tokens counted with ${tokens.tokenizer}; wrote ${options.out}/train.txt, valid.txt, dataset.json\n`,
    );
  },
});

/**
 * The arguments that are files. A folder among them (`prepare data/*` also matches data/dataset/) holds
 * nothing prepare reads, so it is skipped with a line rather than failing the run; a missing file fails it.
 */
async function filesOnly(paths: string[], context: CliContext): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) context.stderr.write(`mimicbot: ${oneLine(path)}: is a folder, skipped (prepare reads JSONL files)\n`);
    else files.push(path);
  }
  return files;
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

const DROP_LABELS: Record<string, string> = { retweet: 'retweets', reply: 'replies', 'near-empty': 'near-empty', 'too-long': 'too long', duplicate: 'duplicates' };

function dropSummary(dropped: Record<string, number>): string {
  return Object.entries(dropped)
    .map(([reason, n]) => `${DROP_LABELS[reason] ?? reason} ${n}`)
    .join(', ');
}
