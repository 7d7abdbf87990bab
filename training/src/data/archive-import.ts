import { parseArchiveJs } from './archive-js.js';
import { readArchiveFiles } from './archive-files.js';
import {
  importArchiveTweets,
  readAccount,
  readNoteTweets,
  type ArchiveAccount,
  type ImportOptions,
  type ImportResult,
} from './archive-tweets.js';

export interface ArchiveImport extends ImportResult {
  account: ArchiveAccount;
  /** the tweet files that were read, in order */
  files: string[];
}

/** Reads an X archive (zip, folder or tweets.js) into posts. */
export async function importArchive(path: string, options: ImportOptions): Promise<ArchiveImport> {
  const found = await readArchiveFiles(path);
  const account = found.account ? readAccount(parseArchiveJs(found.account.name, found.account.text)) : {};
  const notes = found.noteTweets ? readNoteTweets(parseArchiveJs(found.noteTweets.name, found.noteTweets.text)) : [];
  const files = found.tweets.map((f) => ({ file: f.name, entries: parseArchiveJs(f.name, f.text) }));
  const result = importArchiveTweets(files, notes, account, options);
  return { ...result, account, files: found.tweets.map((f) => f.name) };
}
