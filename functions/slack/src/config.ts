/** The Slack function's settings, read once from the environment (the only place that reads it). */
import {
  ConfigError,
  parseSharedConfig,
  readBoolean,
  readNumber,
  readOptionalString,
  readOptionalUrl,
  readRequiredString,
  type Env,
  type SharedConfig,
} from '@mimicbot/functions-shared';

export interface SlackConfig extends SharedConfig {
  /** SLACK_SIGNING_SECRET: app settings > Basic Information > Signing Secret. */
  signingSecret: string;
  /** SLACK_BOT_TOKEN: app settings > OAuth & Permissions > Bot User OAuth Token (xoxb-...). */
  botToken: string;
  /** SLACK_API_URL: Web API base, e.g. a fake one in tests; Slack's own when unset. */
  slackApiUrl?: string;
  /**
   * SLACK_BOT_USER_ID and SLACK_BOT_ID: the bot's ids (auth.test's user_id and bot_id). With both set no
   * auth.test call is made at start-up; without them one is made on the first request.
   */
  botUserId?: string;
  botId?: string;
  /** SLACK_LEASE_MS (default 120000): how long an attempt holds a message before a retry may take it over. */
  leaseMs: number;
  /** SLACK_DONE_TTL_MS (default 3600000): how long an answered message is remembered (Slack's last retry comes ~5 min in). */
  doneTtlMs: number;
  /** SLACK_REACTION (default thinking_face): shown on the message while the reply is generated; empty disables. */
  reaction?: string;
  /** SLACK_INCLUDE_PROMPT (default on): the reply starts with the user's prompt, as millzbot's include_prefix. */
  includePrompt: boolean;
  /** LOG_LEVEL (default info): debug, info, warn or error. */
  logLevel: LogLevelName;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export function parseConfig(env: Env): SlackConfig {
  const logLevel = (readOptionalString(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  }
  const botToken = readRequiredString(env, 'SLACK_BOT_TOKEN', 'app settings > OAuth & Permissions > Bot User OAuth Token');
  if (!botToken.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN', 'must be a bot token (starts with xoxb-)');
  return {
    ...parseSharedConfig(env),
    signingSecret: readRequiredString(env, 'SLACK_SIGNING_SECRET', 'app settings > Basic Information > Signing Secret'),
    botToken,
    slackApiUrl: readOptionalUrl(env, 'SLACK_API_URL'),
    botUserId: readOptionalString(env, 'SLACK_BOT_USER_ID'),
    botId: readOptionalString(env, 'SLACK_BOT_ID'),
    leaseMs: readNumber(env, 'SLACK_LEASE_MS', 120_000, { min: 100, max: 3_600_000, integer: true }),
    doneTtlMs: readNumber(env, 'SLACK_DONE_TTL_MS', 3_600_000, { min: 1000, max: 7 * 24 * 3_600_000, integer: true }),
    reaction: env.SLACK_REACTION === undefined ? 'thinking_face' : readOptionalString(env, 'SLACK_REACTION'),
    includePrompt: readBoolean(env, 'SLACK_INCLUDE_PROMPT', true),
    logLevel: logLevel as LogLevelName,
  };
}
