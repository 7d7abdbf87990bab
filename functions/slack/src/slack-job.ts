/**
 * The work the events endpoint hands the worker through Pub/Sub: one message to answer. Everything the
 * worker needs is decided at the edge (the prompt without the bot's mention, the thread to reply in), so the
 * worker needs no Bolt and no event. The same shape travels inline when there is no queue.
 */
import { PushBodyError } from '@mimicbot/functions-shared';

export interface SlackJob {
  /** The message's key in the store (the shared message ledger): messageKey(). */
  key: string;
  channel: string;
  /** The message's own ts: the reaction goes on it. */
  ts: string;
  /** Where the reply goes: the thread's ts, or none for a DM's main conversation. */
  threadTs?: string;
  /** The user's words without the bot's mention (may be empty: an unprompted line). */
  prompt: string;
}

/**
 * The ledger's key for a message: not the event_id, since a DM that mentions the bot arrives as two events
 * (message.im and app_mention) with different event_ids and the same channel and ts.
 */
export function messageKey(teamId: string | undefined, channel: string, ts: string): string {
  return `message:${teamId ?? '-'}:${channel}:${ts}`;
}

/** Slack caps a message at 40,000 characters; a job is never longer than that plus its ids. */
const MAX_PROMPT_CHARS = 40_000;
const MAX_ID_CHARS = 200;

/** A job that is not one: the worker endpoint answers 400 naming the field. */
export class SlackJobError extends PushBodyError {
  override readonly code = 'slack_job_invalid';
  constructor(message: string, field: string) {
    super(message, field);
    this.name = 'SlackJobError';
  }
}

/** The message published for a job (the publisher base64-encodes it, as Pub/Sub carries data). */
export function slackJobMessage(job: SlackJob): string {
  return JSON.stringify(job);
}

/** A job from a pushed Pub/Sub message's base64 `data`, checked field by field. */
export function slackJobFromPush(data: unknown): SlackJob {
  if (typeof data !== 'string' || data === '') throw new SlackJobError('message.data must be a non-empty base64 string', 'message.data');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    throw new SlackJobError('message.data is not base64 of a JSON object', 'message.data');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SlackJobError('message.data is not base64 of a JSON object', 'message.data');
  const fields = parsed as Record<string, unknown>;
  const text = (name: keyof SlackJob, max: number, optional = false): string | undefined => {
    const value = fields[name];
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'string' || value.length > max || (value === '' && name !== 'prompt')) {
      throw new SlackJobError(`job.${name} must be a${name === 'prompt' ? '' : ' non-empty'} string of at most ${max} characters`, `message.data.${name}`);
    }
    return value;
  };
  const job: SlackJob = {
    key: text('key', MAX_ID_CHARS)!,
    channel: text('channel', MAX_ID_CHARS)!,
    ts: text('ts', MAX_ID_CHARS)!,
    prompt: text('prompt', MAX_PROMPT_CHARS)!,
  };
  const threadTs = text('threadTs', MAX_ID_CHARS, true);
  return threadTs === undefined ? job : { ...job, threadTs };
}
