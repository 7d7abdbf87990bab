/**
 * `fetch <username>`: a user's posts through the X API v2 (app-only bearer token) into JSONL, resumable.
 * The API returns only the newest 3,200 posts; older ones come from the archive (`import`).
 */
import { parseArgs } from 'node:util';
import { fetchTimeline, X_TIMELINE_CAP, XFetchError, type FetchEvent } from '../data/fetch-timeline.js';
import { systemClock, type Clock } from '../data/rate-limit-wait.js';
import { createXClient } from '../data/x-client.js';
import { processIo, UsageError, type CliIo } from './cli-io.js';
import { reportCliError } from './report-error.js';

export const FETCH_USAGE = `usage: fetch <username> [--out FILE] [--replies]
  env: X_BEARER_TOKEN (required; app-only Bearer Token from the X developer portal), X_API_URL (optional)`;

export interface FetchConfig {
  bearerToken: string;
  apiUrl?: string;
}

/** The fetch command's settings from the environment; only the CLI reads it. */
export function parseFetchConfig(env: NodeJS.ProcessEnv): FetchConfig {
  const bearerToken = env.X_BEARER_TOKEN?.trim();
  if (!bearerToken) {
    throw new UsageError(
      'X_BEARER_TOKEN is not set: create a project and app in the X developer portal and export its Bearer Token',
    );
  }
  // X_API_URL: another base URL for https://api.x.com/ (a proxy, or a fake X in tests).
  return { bearerToken, apiUrl: env.X_API_URL?.trim() || undefined };
}

export interface FetchPlan {
  username: string;
  outFile: string;
  includeReplies: boolean;
}

export function parseFetchArgs(argv: readonly string[]): FetchPlan {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { out: { type: 'string' }, replies: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one username, got ${positionals.length} arguments`);
  const username = positionals[0].replace(/^@/, '');
  if (!/^\w{1,15}$/.test(username)) throw new UsageError(`"${positionals[0]}" is not an X username (letters, digits, _; at most 15)`);
  return { username, outFile: values.out ?? `data/${username}.jsonl`, includeReplies: values.replies ?? false };
}

export async function runFetch(
  argv: readonly string[],
  io: CliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
  clock: Clock = systemClock,
): Promise<number> {
  let plan: FetchPlan;
  let config: FetchConfig;
  try {
    plan = parseFetchArgs(argv);
    config = parseFetchConfig(env);
  } catch (error) {
    io.stderr.write(`mimicbot: fetch: ${(error as Error).message}\n${FETCH_USAGE}\n`);
    return 2;
  }
  io.stderr.write(
    `fetch: @${plan.username} -> ${plan.outFile}. X's API returns only the newest ${X_TIMELINE_CAP.toLocaleString('en')} posts; ` +
      'for older ones, request your archive and use `import`.\n',
  );
  const status = statusLine(io.stderr);
  try {
    const api = createXClient(config);
    const summary = await fetchTimeline(
      { username: plan.username, includeReplies: plan.includeReplies, outFile: plan.outFile },
      { api, clock, onEvent: (event) => status(describe(event, plan.username)) },
    );
    status.done();
    io.stdout.write(
      `fetched @${plan.username}: ${summary.added} new posts, ${summary.total} in ${plan.outFile}` +
        (summary.skippedReplies > 0 ? ` (${summary.skippedReplies} replies to others left out; --replies keeps them)` : '') +
        '\n',
    );
    return 0;
  } catch (error) {
    status.done();
    if (error instanceof XFetchError) {
      io.stderr.write(`mimicbot: fetch: ${error.message}${error.code === 'X_REQUEST_FAILED' ? '; run again to resume' : ''}\n`);
      return 1;
    }
    return reportCliError(error, io.stderr);
  }
}

function describe(event: FetchEvent, username: string): string {
  switch (event.type) {
    case 'user':
      return event.resumed ? `@${username} is user ${event.userId}; resuming where the last run stopped` : `@${username} is user ${event.userId}`;
    case 'page':
      return `@${username}: ${event.total} posts saved (${event.added} new this run)`;
    case 'rate-limit':
      return event.remainingMs > 0
        ? `rate-limited by X: resuming in ${clockTime(event.remainingMs)} (at ${new Date(event.resumeAtMs).toISOString().slice(11, 19)} UTC)`
        : 'rate limit reset: resuming';
  }
}

function clockTime(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * One status line on stderr: rewritten in place on a terminal; elsewhere (logs, CI) a line per change,
 * with the rate-limit countdown thinned to one line a minute.
 */
function statusLine(stream: NodeJS.WriteStream): ((text: string) => void) & { done(): void } {
  let last = '';
  let lastCountdownMinute = -1;
  const write = (text: string) => {
    if (stream.isTTY) {
      stream.write(`\r\u001b[2K${text}`);
      last = text;
      return;
    }
    const countdown = /resuming in (\d+):/.exec(text);
    if (countdown) {
      const minute = Number(countdown[1]);
      if (minute === lastCountdownMinute) return;
      lastCountdownMinute = minute;
    }
    stream.write(`${text}\n`);
  };
  return Object.assign(write, {
    done() {
      if (stream.isTTY && last !== '') stream.write('\n');
      last = '';
    },
  });
}
