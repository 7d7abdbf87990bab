import { MimicbotFileError } from '../errors.js';
import { openArchiveFiles, type ArchiveEntry } from './archive-files.js';
import { readArchiveJs } from './archive-js.js';
import {
  accountOf,
  ArchiveTweetCollector,
  noteTweetOf,
  type ArchiveAccount,
  type ImportOptions,
  type ImportResult,
  type NoteTweet,
} from './archive-tweets.js';

/**
 * The most bytes import reads from an archive's data files, all together, by default. A zip's headers may
 * say anything about sizes, so what is inflated is counted as it comes; this stops a zip bomb (a few MB
 * that inflate to gigabytes) early. A heavy account's tweets.js is a few hundred MB.
 */
export const DEFAULT_MAX_ARCHIVE_BYTES = 1_000_000_000;

export interface ArchiveImportOptions extends ImportOptions {
  /** the cap on bytes read from the data files (after inflating), default DEFAULT_MAX_ARCHIVE_BYTES */
  maxBytes?: number;
}

export interface ArchiveImport extends ImportResult {
  account: ArchiveAccount;
  /** the tweet files that were read, in order */
  files: string[];
}

/**
 * Reads an X archive (zip, folder or tweets.js) into posts, one data file and one record at a time, so memory
 * holds the posts kept and never a whole file.
 */
export async function importArchive(path: string, options: ArchiveImportOptions): Promise<ArchiveImport> {
  const found = await openArchiveFiles(path);
  const budget = byteBudget(options.maxBytes ?? DEFAULT_MAX_ARCHIVE_BYTES);
  try {
    let account: ArchiveAccount = {};
    if (found.account) {
      await readArchiveJs(found.account.name, budget.read(found.account), { onRecord: (entry, i) => i === 0 && (account = accountOf(entry)) });
    }
    const notes: NoteTweet[] = [];
    if (found.noteTweets) {
      await readArchiveJs(found.noteTweets.name, budget.read(found.noteTweets), {
        onRecord: (entry) => {
          const note = noteTweetOf(entry);
          if (note) notes.push(note);
        },
      });
    }
    const tweets = new ArchiveTweetCollector();
    for (const file of found.tweets) {
      await readArchiveJs(file.name, budget.read(file), {
        onRecord: (entry, index) => tweets.add(file.name, index, entry),
        onSkipped: (index, _line, problem) => tweets.skip(file.name, index, problem),
      });
    }
    return { ...tweets.finish(notes, account, options), account, files: found.tweets.map((f) => f.name) };
  } finally {
    await found.close();
  }
}

/** Counts the bytes read across entries and stops at the cap, naming the entry it was reading. */
function byteBudget(maxBytes: number): { read(entry: ArchiveEntry): AsyncIterable<Uint8Array> } {
  let total = 0;
  return {
    async *read(entry) {
      for await (const chunk of entry.read()) {
        total += chunk.byteLength;
        if (total > maxBytes) {
          throw new MimicbotFileError(
            'ARCHIVE_TOO_LARGE',
            entry.name,
            `the archive's data files come to more than ${megabytes(maxBytes)} MB (the cap, against zip bombs); stopped here`,
          );
        }
        yield chunk;
      }
    },
  };
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toLocaleString('en', { maximumFractionDigits: 1 });
}
