import { readFile, rename, writeFile } from 'node:fs/promises';
import { MimicbotFileError } from '../errors.js';

/**
 * Where `fetch` is, kept beside its output (`<out>.state.json`) so that an interrupted run goes on from the
 * page where it stopped, and a later run asks X only for posts newer than the last complete one.
 *
 * A pass pages from the newest post backwards. `sinceId` bounds the current pass from below,
 * `paginationToken` is X's `meta.next_token` for its next page, `passNewestId` the newest id it has seen;
 * when a pass ends, `passNewestId` becomes `newestId`, the `since_id` of the next pass.
 */
export interface FetchState {
  version: 1;
  username: string;
  userId: string;
  includeReplies: boolean;
  newestId?: string;
  sinceId?: string;
  paginationToken?: string;
  passNewestId?: string;
}

export async function readFetchState(file: string): Promise<FetchState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as FetchState;
    if (state.version !== 1 || typeof state.userId !== 'string') throw new Error('unknown layout');
    return state;
  } catch (cause) {
    throw new MimicbotFileError(
      'FETCH_BAD_STATE',
      file,
      `unreadable fetch state (${(cause as Error).message}); delete it to start over (posts already fetched are kept)`,
      { cause },
    );
  }
}

export async function writeFetchState(file: string, state: FetchState): Promise<void> {
  await writeFile(`${file}.tmp`, JSON.stringify(state, null, 2) + '\n');
  await rename(`${file}.tmp`, file);
}
