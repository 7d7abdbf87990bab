import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { MimicbotFileError } from '../errors.js';

/** The data files of an archive that import needs, as text, each named for error messages. */
export interface ArchiveFiles {
  /** `tweets.js`, older `tweet.js`, or split `tweets-part1.js`, … in order */
  tweets: NamedText[];
  noteTweets?: NamedText;
  account?: NamedText;
}

export interface NamedText {
  name: string;
  text: string;
}

const TWEETS_FILE = /^(?:tweets?|tweets-part\d+)\.js$/;
const WANTED = (name: string) => TWEETS_FILE.test(name) || name === 'note-tweet.js' || name === 'account.js';

/**
 * Finds the tweet files in what the user pointed at: the archive zip as X sends it, an extracted archive
 * folder, or a single `tweets.js`-style file (with `note-tweet.js` and `account.js` picked up beside it).
 */
export async function readArchiveFiles(path: string): Promise<ArchiveFiles> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new MimicbotFileError('ARCHIVE_NOT_FOUND', path, 'no such file or folder', { cause });
  }
  if (info.isDirectory()) return fromFolder(path);
  const bytes = await readFile(path);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return fromZip(path, bytes);
  if (path.endsWith('.js')) {
    const siblings = await fromFolder(dirname(path), false); // note-tweet.js and account.js only
    return { ...siblings, tweets: [{ name: path, text: bytes.toString('utf8') }] };
  }
  throw new MimicbotFileError(
    'ARCHIVE_WRONG_FILE_TYPE',
    path,
    'not an X archive: expected the .zip from "Download your data", its data/tweets.js, or the extracted folder',
  );
}

function fromZip(path: string, bytes: Uint8Array): ArchiveFiles {
  let entries: Record<string, Uint8Array>;
  try {
    // Only the few text files import reads are inflated; media (most of an archive's size) is skipped.
    entries = unzipSync(bytes, { filter: (f) => WANTED(basename(f.name)) });
  } catch (cause) {
    throw new MimicbotFileError('ARCHIVE_BAD_ZIP', path, `cannot unzip (${(cause as Error).message})`, { cause });
  }
  const named = Object.keys(entries).map((name) => ({ name: `${path}:${name}`, text: strFromU8(entries[name]) }));
  return pick(path, named);
}

/** The folder's wanted files; with `withTweets` false the tweet files (which the caller has) are not read at all. */
async function fromFolder(dir: string, withTweets = true): Promise<ArchiveFiles> {
  const dataDir = (await isDir(join(dir, 'data'))) ? join(dir, 'data') : dir;
  const names = (await readdir(dataDir)).filter((n) => WANTED(n) && (withTweets || !TWEETS_FILE.test(n)));
  const named = await Promise.all(names.map(async (n) => ({ name: join(dataDir, n), text: await readFile(join(dataDir, n), 'utf8') })));
  return pick(dir, named, withTweets);
}

function pick(where: string, files: NamedText[], requireTweets = true): ArchiveFiles {
  const tweets = files
    .filter((f) => TWEETS_FILE.test(basename(f.name)))
    .sort((a, b) => partNumber(a.name) - partNumber(b.name));
  if (requireTweets && tweets.length === 0) {
    throw new MimicbotFileError('ARCHIVE_NO_TWEETS', where, 'no data/tweets.js, tweet.js or tweets-partN.js in it');
  }
  return {
    tweets,
    noteTweets: files.find((f) => basename(f.name) === 'note-tweet.js'),
    account: files.find((f) => basename(f.name) === 'account.js'),
  };
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** tweets.js / tweet.js come first, then tweets-part1.js, tweets-part2.js, … in number order. */
function partNumber(name: string): number {
  return Number(/-part(\d+)\.js$/.exec(name)?.[1] ?? 0);
}
