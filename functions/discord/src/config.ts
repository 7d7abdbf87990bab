/** The Discord function's settings, read once from the environment (the only place that reads it). */
import { envReader, readQueueConfig, readSharedConfig, type Env, type QueueConfig, type SharedConfig } from '@mimicbot/functions-shared';
import { INTERACTION_TOKEN_LIFE_MS } from './discord-job.js';

export interface DiscordConfig {
  shared: SharedConfig;
  /** DISCORD_PUBLIC_KEY: Developer Portal > the application > General Information > Public Key (64 hex digits). */
  publicKeyHex: string;
  /** DISCORD_API_URL (default Discord's v10 base): where the worker edits its answers, e.g. a fake one in tests. */
  discordApiUrl: string;
  /**
   * DRY_RUN (default off): Discord's API is a local stand-in inside this process that logs each edit the
   * bot would have made, so nothing reaches Discord. `npm run dev` turns it on.
   */
  dryRun: boolean;
  /** DISCORD_LEASE_MS (default 120000): how long a worker holds an interaction before another delivery may take it over. */
  leaseMs: number;
  /** DISCORD_DONE_TTL_MS (default 86400000, a day): how long an interaction's record is kept; longer than Pub/Sub redelivers. */
  doneTtlMs: number;
  /**
   * DISCORD_TOPIC (required) and the DISCORD_WORKER_* settings: the intake publishes each command there and
   * POST /discord/worker takes Pub/Sub's pushes. DISCORD_RETRY_WINDOW_MS (default 600000) must end before the
   * interaction token does (15 minutes), so the last delivery can still post the apology.
   */
  queue: QueueConfig;
  /** LOG_LEVEL (default info): debug, info, warn or error. */
  logLevel: string;
}

export const DISCORD_API_V10 = 'https://discord.com/api/v10';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];

export function parseConfig(env: Env = process.env): DiscordConfig {
  const read = envReader(env);
  const shared = readSharedConfig(read);
  const dryRun = read.boolean('DRY_RUN', false);
  const logLevel = (read.string('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) read.problem('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  const publicKeyHex = read.requiredString('DISCORD_PUBLIC_KEY', 'Developer Portal > your application > General Information > Public Key');
  if (publicKeyHex !== '' && !/^[0-9a-fA-F]{64}$/.test(publicKeyHex)) read.problem('DISCORD_PUBLIC_KEY', 'must be the 64 hex digits of the application\'s Ed25519 public key');
  const discordApiUrl = read.url('DISCORD_API_URL', { schemes: ['http', 'https'] });
  if (dryRun && discordApiUrl) read.problem('DISCORD_API_URL', 'cannot be used with DRY_RUN (a dry run answers the API itself); unset one of them');
  const queue = readQueueConfig(read, 'DISCORD', shared.googleCloudProject, INTERACTION_TOKEN_LIFE_MS - 60_000);
  if (!queue) read.problem('DISCORD_TOPIC', 'is required: the Pub/Sub topic the commands go through (locally `npm run dev` creates one on the emulator)');
  return read.done({
    shared,
    publicKeyHex,
    discordApiUrl: (discordApiUrl ?? DISCORD_API_V10).replace(/\/+$/, ''),
    dryRun,
    leaseMs: read.number('DISCORD_LEASE_MS', 120_000, { min: 100, max: 3_600_000, integer: true }),
    doneTtlMs: read.number('DISCORD_DONE_TTL_MS', 24 * 3_600_000, { min: 1000, max: 7 * 24 * 3_600_000, integer: true }),
    queue: queue!,
    logLevel,
  });
}
