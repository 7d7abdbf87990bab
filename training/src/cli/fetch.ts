/**
 * `fetch <username>`: a user's posts through the X API v2 (app-only bearer token) into JSONL, resumable.
 * The API returns only the newest 3,200 posts; older ones come from the archive (`import`).
 */
import { fetchTimeline, type FetchEvent } from '../data/fetch-timeline.js';
import { createXClient } from '../data/x-client.js';
import { X_TIMELINE_CAP, XFetchError, type XFetchErrorCode } from '../data/x-fetch-error.js';
import { isXUsername } from '../data/x-username.js';
import { UsageError } from './cli-context.js';
import { defineCommand } from './define-command.js';

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

/** What the command adds to the fetcher's own message: how to go on, in the CLI's terms. */
const FETCH_HINTS: Partial<Record<XFetchErrorCode, string>> = {
  X_REQUEST_FAILED: '; run again to resume',
  X_STATE_MISMATCH: ' (or pass another --out)',
};

export const fetchCommand = defineCommand({
  name: 'fetch',
  description: "download a user's posts through the X API v2 into JSONL (resumable; newest 3,200 only)",
  args: [{ name: 'username', description: 'the X account, with or without @' }],
  options: {
    out: { type: 'string', placeholder: 'FILE', defaultText: 'data/<username>.jsonl', description: 'the JSONL file to append to (its state: <out>.state.json)' },
    replies: { type: 'boolean', description: 'keep replies to other accounts' },
  },
  notes: [
    'environment: X_BEARER_TOKEN (required; the app-only Bearer Token from the X developer portal),',
    '             X_API_URL (optional; another base URL for the API)',
  ],
  async run({ args, options, context }) {
    const username = args.username.replace(/^@/, '');
    if (!isXUsername(username)) throw new UsageError(`${JSON.stringify(args.username)} is not an X username (letters, digits, _; at most 15)`);
    const outFile = options.out ?? `data/${username}.jsonl`;
    const config = parseFetchConfig(context.env);
    context.stderr.write(
      `fetch: @${username} -> ${outFile}. X's API returns only the newest ${X_TIMELINE_CAP.toLocaleString('en')} posts; ` +
        'for older ones, request your archive and use `import`.\n',
    );
    const status = statusLine(context.stderr);
    try {
      const api = createXClient(config);
      const summary = await fetchTimeline(
        { username, includeReplies: options.replies, outFile },
        { api, clock: context.clock, onEvent: (event) => status(describe(event, username)) },
      );
      status.done();
      context.stdout.write(
        `fetched @${username}: ${summary.added} new posts, ${summary.total} in ${outFile}` +
          (summary.skippedReplies > 0 ? ` (${summary.skippedReplies} replies to others left out; --replies keeps them)` : '') +
          '\n',
      );
    } catch (error) {
      status.done();
      const hint = error instanceof XFetchError ? FETCH_HINTS[error.code] : undefined;
      if (error instanceof XFetchError && hint) throw new XFetchError(error.code, `${error.message}${hint}`, { cause: error });
      throw error;
    }
  },
});

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
