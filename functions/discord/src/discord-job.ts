/**
 * The work the interactions endpoint hands the worker through Pub/Sub: one command to answer by editing
 * its deferred response. Everything the worker needs is decided at the edge (the prompt, the webhook that
 * edits the answer, when the interaction was made), so the worker needs no interaction payload.
 */
import { PushBodyError } from '@mimicbot/functions-shared';

export interface DiscordJob {
  /** The interaction's id (a snowflake): the ledger's key and the clock of its token. */
  interactionId: string;
  /** The application's id: the interaction webhook's id. */
  applicationId: string;
  /** The interaction token: the webhook's secret, valid 15 minutes from the interaction. */
  token: string;
  /** The words to continue (may be empty: an unprompted line). */
  prompt: string;
  /** When the intake published the job (ms since the epoch); the token's clock when the id says nothing. */
  enqueuedAt: number;
}

/** Discord's interaction tokens stop working this long after the interaction. */
export const INTERACTION_TOKEN_LIFE_MS = 15 * 60_000;

/** Discord's epoch (2015-01-01T00:00:00Z): a snowflake's top 42 bits count milliseconds from it. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** When a snowflake was made (ms since the Unix epoch), or undefined when it is not one. */
export function snowflakeTime(id: string): number | undefined {
  if (!/^\d{1,20}$/.test(id)) return undefined;
  const value = BigInt(id);
  if (value >= 1n << 64n) return undefined;
  return Number((value >> 22n) + DISCORD_EPOCH_MS);
}

/** How long the job's token has lived at `now`: from the interaction's own time, else from enqueueing. */
export function tokenAgeMs(job: DiscordJob, now: number): number {
  return now - (snowflakeTime(job.interactionId) ?? job.enqueuedAt);
}

export function interactionKey(interactionId: string): string {
  return `interaction:${interactionId}`;
}

/** Discord caps a slash command's string option at 6,000 characters and a message at 4,000 (Nitro). */
const MAX_PROMPT_CHARS = 6_000;
/** Interaction tokens are ~200 characters; ids are snowflakes. */
const MAX_ID_CHARS = 500;

/** A job that is not one: the worker endpoint answers 400 naming the field. */
export class DiscordJobError extends PushBodyError {
  override readonly code = 'discord_job_invalid';
  constructor(message: string, field: string) {
    super(message, field);
    this.name = 'DiscordJobError';
  }
}

export function discordJobMessage(job: DiscordJob): string {
  return JSON.stringify(job);
}

/** A job from a pushed Pub/Sub message's base64 `data`, checked field by field. */
export function discordJobFromPush(data: unknown): DiscordJob {
  if (typeof data !== 'string' || data === '') throw new DiscordJobError('message.data must be a non-empty base64 string', 'message.data');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    throw new DiscordJobError('message.data is not base64 of a JSON object', 'message.data');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DiscordJobError('message.data is not base64 of a JSON object', 'message.data');
  const fields = parsed as Record<string, unknown>;
  const text = (name: keyof DiscordJob, max: number): string => {
    const value = fields[name];
    if (typeof value !== 'string' || value.length > max || (value === '' && name !== 'prompt')) {
      throw new DiscordJobError(`job.${name} must be a${name === 'prompt' ? '' : ' non-empty'} string of at most ${max} characters`, `message.data.${name}`);
    }
    return value;
  };
  const job = {
    interactionId: text('interactionId', MAX_ID_CHARS),
    applicationId: text('applicationId', MAX_ID_CHARS),
    token: text('token', MAX_ID_CHARS),
    prompt: text('prompt', MAX_PROMPT_CHARS),
  };
  const enqueuedAt = fields.enqueuedAt;
  if (typeof enqueuedAt !== 'number' || !Number.isFinite(enqueuedAt)) throw new DiscordJobError('job.enqueuedAt must be a time in ms', 'message.data.enqueuedAt');
  return { ...job, enqueuedAt };
}
