import { END_OF_TEXT } from '../tokenizer/tokenizer-json.js';
import { cleanTweet, duplicateKey, type CleanOptions, type DropReason } from './clean-tweet.js';
import { splitByHash } from './dataset-split.js';
import { tokenStats, type TokenStats } from './token-stats.js';
import type { LineProblem, ParsedJsonl } from './tweet-jsonl.js';

export interface PrepareOptions extends CleanOptions {
  /** share of posts held out for validation, by hash of id */
  validFraction: number;
}

export interface SourceSummary {
  file: string;
  posts: number;
  skippedLines: number;
}

/** `dataset.json`: what went in, what came out, and why the rest was left out. */
export interface DatasetSummary {
  version: 1;
  format: string;
  separator: string;
  files: { train: 'train.txt'; valid: 'valid.txt' };
  sources: SourceSummary[];
  options: PrepareOptions;
  counts: {
    read: number;
    kept: number;
    train: number;
    valid: number;
    dropped: Record<DropReason | 'duplicate', number>;
    skippedLines: number;
  };
  tokens: { tokenizer: string; train: TokenStats; valid: TokenStats };
}

export interface PreparedDataset {
  train: string[];
  valid: string[];
  /** the first bad lines of each file (`summary.counts.skippedLines` counts them all) */
  problems: LineProblem[];
  summary: DatasetSummary;
}

export interface TokenCounter {
  /** name recorded in dataset.json, e.g. "gpt2" */
  name: string;
  count(text: string): number;
}

/**
 * The whole of `prepare` except the file system: parsed JSONL files in, cleaned and split posts out. Posts are
 * deduplicated across all inputs (first one kept), after cleaning, so the same words with a different link
 * count once.
 */
export function prepareDataset(
  inputs: ParsedJsonl[],
  options: PrepareOptions,
  tokens: TokenCounter,
): PreparedDataset {
  const dropped: Record<DropReason | 'duplicate', number> = { retweet: 0, reply: 0, 'near-empty': 0, 'too-long': 0, duplicate: 0 };
  const problems: LineProblem[] = [];
  const sources: SourceSummary[] = [];
  const seen = new Set<string>();
  const kept: { key: string; text: string }[] = [];
  let read = 0;
  let skippedLines = 0;
  for (const parsed of inputs) {
    problems.push(...parsed.problems);
    skippedLines += parsed.badLines;
    sources.push({ file: parsed.file, posts: parsed.records.length, skippedLines: parsed.badLines });
    for (const record of parsed.records) {
      read++;
      const result = cleanTweet(record, options);
      if (!result.keep) {
        dropped[result.reason]++;
        continue;
      }
      const dup = duplicateKey(result.text);
      if (seen.has(dup)) {
        dropped.duplicate++;
        continue;
      }
      seen.add(dup);
      kept.push({ key: record.id !== '' ? `id:${record.id}` : `text:${dup}`, text: result.text });
    }
  }
  const split = splitByHash(kept, (k) => k.key, options.validFraction);
  const train = split.train.map((k) => k.text);
  const valid = split.valid.map((k) => k.text);
  const count = (text: string) => tokens.count(text);
  const summary: DatasetSummary = {
    version: 1,
    format: `each post followed by ${END_OF_TEXT}, no other separator`,
    separator: END_OF_TEXT,
    files: { train: 'train.txt', valid: 'valid.txt' },
    sources,
    options,
    counts: {
      read,
      kept: kept.length,
      train: train.length,
      valid: valid.length,
      dropped,
      skippedLines,
    },
    tokens: { tokenizer: tokens.name, train: tokenStats(train, count), valid: tokenStats(valid, count) },
  };
  return { train, valid, problems, summary };
}

/** The training text: every post followed by `<|endoftext|>`, so each one ends where GPT-2 expects. */
export function trainingText(posts: string[]): string {
  return posts.map((p) => p + END_OF_TEXT).join('');
}

/** Inverse of trainingText, for readers of train.txt / valid.txt. */
export function splitTrainingText(text: string): string[] {
  return text.split(END_OF_TEXT).filter((p) => p !== '');
}
