import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import yauzl from 'yauzl';
import { MimicbotFileError } from '../errors.js';

/** One data file of an archive, read as a stream of bytes. */
export interface ArchiveEntry {
  /** how messages call it: its path, or `<zip>:<entry>` */
  name: string;
  /** `tweets.js`, `account.js`, … */
  fileName: string;
  read(): AsyncIterable<Uint8Array>;
}

/** The data files of an archive that import needs, found but not yet read. */
export interface ArchiveFiles {
  /** `tweets.js`, older `tweet.js`, or split `tweets-part1.js`, … in order */
  tweets: ArchiveEntry[];
  noteTweets?: ArchiveEntry;
  account?: ArchiveEntry;
  /** releases the zip file, when there is one */
  close(): Promise<void>;
}

const TWEETS_FILE = /^(?:tweets?|tweets-part\d+)\.js$/;
const WANTED = (name: string) => TWEETS_FILE.test(name) || name === 'note-tweet.js' || name === 'account.js';

/**
 * Finds the tweet files in what the user pointed at: the archive zip as X sends it, an extracted archive
 * folder, or a single `tweets.js`-style file (with `note-tweet.js` and `account.js` picked up beside it).
 * A zip is read through its central directory, so its media (most of an archive's size) is never read, and
 * each data file is inflated as a stream when the caller reads it.
 */
export async function openArchiveFiles(path: string): Promise<ArchiveFiles> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new MimicbotFileError('ARCHIVE_NOT_FOUND', path, 'no such file or folder', { cause });
  }
  if (info.isDirectory()) return fromFolder(path);
  if (isZip(await firstBytes(path, 4))) return fromZip(path);
  if (path.endsWith('.js')) {
    const siblings = await fromFolder(dirname(path), false); // note-tweet.js and account.js only
    return { ...siblings, tweets: [fileEntry(path)] };
  }
  throw new MimicbotFileError(
    'ARCHIVE_WRONG_FILE_TYPE',
    path,
    'not an X archive: expected the .zip from "Download your data", its data/tweets.js, or the extracted folder',
  );
}

async function fromZip(path: string): Promise<ArchiveFiles> {
  const badZip = (cause: unknown) => new MimicbotFileError('ARCHIVE_BAD_ZIP', path, `cannot unzip (${(cause as Error).message})`, { cause });
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  } catch (cause) {
    throw badZip(cause);
  }
  const found: ArchiveEntry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      if (!WANTED(basename(entry.fileName))) continue;
      const name = `${path}:${entry.fileName}`;
      found.push({ name, fileName: basename(entry.fileName), read: () => zipEntryChunks(zip, entry, name) });
    }
  } catch (cause) {
    zip.close();
    throw badZip(cause);
  }
  return pick(path, found, true, async () => zip.close());
}

async function* zipEntryChunks(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string): AsyncIterable<Uint8Array> {
  const fail = (cause: unknown) => new MimicbotFileError('ARCHIVE_BAD_ZIP', name, `cannot unzip (${(cause as Error).message})`, { cause });
  if (entry.isEncrypted()) throw new MimicbotFileError('ARCHIVE_BAD_ZIP', name, 'is encrypted; extract the archive with its password and import the folder');
  let stream;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (cause) {
    throw fail(cause);
  }
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (cause) {
    throw fail(cause);
  } finally {
    stream.destroy(); // when the reader stops early (a cap, a bad record), stop inflating
  }
}

/** The folder's wanted files; with `withTweets` false the tweet files (which the caller has) are left out. */
async function fromFolder(dir: string, withTweets = true): Promise<ArchiveFiles> {
  const dataDir = (await isDir(join(dir, 'data'))) ? join(dir, 'data') : dir;
  const names = (await readdir(dataDir)).filter((n) => WANTED(n) && (withTweets || !TWEETS_FILE.test(n)));
  return pick(dir, names.map((n) => fileEntry(join(dataDir, n))), withTweets, async () => {});
}

function fileEntry(path: string): ArchiveEntry {
  return { name: path, fileName: basename(path), read: () => createReadStream(path) };
}

function pick(where: string, files: ArchiveEntry[], requireTweets: boolean, close: () => Promise<void>): ArchiveFiles {
  const tweets = files.filter((f) => TWEETS_FILE.test(f.fileName)).sort((a, b) => partNumber(a.fileName) - partNumber(b.fileName));
  if (requireTweets && tweets.length === 0) {
    void close();
    throw new MimicbotFileError('ARCHIVE_NO_TWEETS', where, 'no data/tweets.js, tweet.js or tweets-partN.js in it');
  }
  return {
    tweets,
    noteTweets: files.find((f) => f.fileName === 'note-tweet.js'),
    account: files.find((f) => f.fileName === 'account.js'),
    close,
  };
}

async function firstBytes(path: string, n: number): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const buffer = new Uint8Array(n);
    const { bytesRead } = await file.read(buffer, 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
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
