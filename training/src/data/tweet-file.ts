import { appendFile, mkdir, readFile, rename, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tweetRecordLine, type TweetRecord } from './tweet-record.js';

/** Writes a whole JSONL file through a temporary file and a rename, so a reader never sees half of it. */
export async function writeTweetFile(path: string, records: TweetRecord[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  await writeFile(tmp, records.map(tweetRecordLine).join(''));
  await rename(tmp, path);
}

export async function appendTweets(path: string, records: TweetRecord[]): Promise<void> {
  if (records.length > 0) await appendFile(path, records.map(tweetRecordLine).join(''));
}

/**
 * The ids already in a JSONL file that is being appended to, after cutting off a last line that an
 * interrupted run left half-written (the page it came from is fetched again, so nothing is lost).
 */
export async function prepareAppend(path: string): Promise<Set<string>> {
  await mkdir(dirname(path), { recursive: true });
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch {
    await writeFile(path, '');
    return new Set();
  }
  const end = content.lastIndexOf('\n') + 1;
  if (end < content.length) await truncate(path, Buffer.byteLength(content.slice(0, end)));
  const ids = new Set<string>();
  for (const line of content.slice(0, end).split('\n')) {
    const m = /"id":"(\d+)"/.exec(line);
    if (m) ids.add(m[1]);
  }
  return ids;
}
