/**
 * `import <archive.zip | folder | tweets.js>`: an X "download your data" archive into the same JSONL that
 * `fetch` writes, with no API, no cost and no 3,200-post cap.
 */
import { parseArgs } from 'node:util';
import { importArchive } from '../data/archive-import.js';
import { writeTweetFile } from '../data/tweet-file.js';
import { processIo, UsageError, type CliIo } from './cli-io.js';
import { reportCliError } from './report-error.js';

export const IMPORT_USAGE = 'usage: import <archive.zip | archive-folder | tweets.js> [--out FILE] [--replies]';

export interface ImportPlan {
  path: string;
  outFile?: string;
  includeReplies: boolean;
}

export function parseImportArgs(argv: readonly string[]): ImportPlan {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { out: { type: 'string' }, replies: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one archive, got ${positionals.length} arguments`);
  return { path: positionals[0], outFile: values.out, includeReplies: values.replies ?? false };
}

export async function runImport(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let plan: ImportPlan;
  try {
    plan = parseImportArgs(argv);
  } catch (error) {
    io.stderr.write(`mimicbot: import: ${(error as Error).message}\n${IMPORT_USAGE}\n`);
    return 2;
  }
  try {
    const result = await importArchive(plan.path, { keepReplies: plan.includeReplies });
    for (const problem of result.problems) io.stderr.write(`mimicbot: ${problem} (skipped)\n`);
    // Not `data/<username>.jsonl`: that is fetch's file, which it appends to and resumes from.
    const outFile = plan.outFile ?? `data/${result.account.username ?? 'x'}-archive.jsonl`;
    await writeTweetFile(outFile, result.records);
    const { posts, retweets, replies, longPosts, duplicates } = result.counts;
    io.stdout.write(
      `imported ${posts} posts from ${result.files.length} file(s) into ${outFile}: ` +
        `${retweets} retweets and ${replies} replies to others left out` +
        (replies > 0 && !plan.includeReplies ? ' (--replies keeps them)' : '') +
        `, ${longPosts} long posts completed from note-tweet.js` +
        (duplicates > 0 ? `, ${duplicates} duplicates` : '') +
        (result.problems.length > 0 ? `, ${result.problems.length} records skipped` : '') +
        '\n',
    );
    return 0;
  } catch (error) {
    return reportCliError(error, io.stderr);
  }
}
