/**
 * `import <archive.zip | folder | tweets.js>`: an X "download your data" archive into the same JSONL that
 * `fetch` writes, with no API, no cost and no 3,200-post cap.
 */
import { DEFAULT_MAX_ARCHIVE_BYTES, importArchive } from '../data/archive-import.js';
import { MimicbotFileError } from '../errors.js';
import { writeTweetFile } from '../data/tweet-file.js';
import { isXUsername } from '../data/x-username.js';
import { defineCommand } from './define-command.js';
import { oneLine } from './report-error.js';

export const importCommand = defineCommand({
  name: 'import',
  description: 'turn an X "download your data" archive into JSONL (no API, no 3,200-post cap)',
  args: [{ name: 'archive', description: 'the archive .zip, the extracted folder, or its data/tweets.js' }],
  options: {
    out: { type: 'string', placeholder: 'FILE', defaultText: 'data/<username>-archive.jsonl', description: 'the JSONL file to write' },
    replies: { type: 'boolean', description: 'keep replies to other accounts' },
    'max-mb': {
      type: 'number',
      min: 1,
      default: DEFAULT_MAX_ARCHIVE_BYTES / 1e6,
      placeholder: 'MB',
      description: "the most to read from the archive's data files, after inflating (a guard against zip bombs)",
    },
  },
  async run({ args, options, context }) {
    const result = await importArchive(args.archive, { keepReplies: options.replies, maxBytes: options['max-mb'] * 1e6 }).catch((error: unknown) => {
      if (error instanceof MimicbotFileError && error.code === 'ARCHIVE_TOO_LARGE') {
        throw new MimicbotFileError(error.code, error.file, `${error.problem}. If the archive is real, raise the cap with --max-mb`, { cause: error });
      }
      throw error;
    });
    for (const problem of result.problems) context.stderr.write(`mimicbot: ${oneLine(problem)} (skipped)\n`);
    const unlisted = result.counts.skipped - result.problems.length;
    if (unlisted > 0) context.stderr.write(`mimicbot: ... and ${unlisted} more records skipped\n`);
    const outFile = options.out ?? `data/${archiveName(result.account.username, context.stderr)}-archive.jsonl`;
    await writeTweetFile(outFile, result.records);
    const { posts, retweets, replies, longPosts, duplicates, skipped } = result.counts;
    context.stdout.write(
      `imported ${posts} posts from ${result.files.length} file(s) into ${outFile}: ` +
        `${retweets} retweets and ${replies} replies to others left out` +
        (replies > 0 && !options.replies ? ' (--replies keeps them)' : '') +
        `, ${longPosts} long posts completed from note-tweet.js` +
        (duplicates > 0 ? `, ${duplicates} duplicates` : '') +
        (skipped > 0 ? `, ${skipped} records skipped` : '') +
        '\n',
    );
  },
});

/**
 * The name the default output file gets: the archive's username when it is one (X allows letters, digits and
 * `_`), else `x`: the name comes from a file inside the archive and must not become a path of its own choosing.
 * (Not `data/<username>.jsonl`: that is fetch's file, which it appends to and resumes from.)
 */
function archiveName(username: string | undefined, stderr: NodeJS.WritableStream): string {
  if (username === undefined) return 'x';
  if (isXUsername(username)) return username;
  stderr.write(`mimicbot: import: the archive's username ${oneLine(JSON.stringify(username))} is not an X username; naming the output after "x"\n`);
  return 'x';
}
