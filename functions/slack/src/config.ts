/** The Slack function's settings, read once from the environment (the only place that reads it). */
import { envReader, readFeedbackConfig, readQueueConfig, readSharedConfig, type Env, type FeedbackConfig, type QueueConfig, type SharedConfig } from '@mimicbot/functions-shared';

/** What the handler and the Bolt app use as they are parsed. */
export interface SlackSettings {
  /** SLACK_SIGNING_SECRET: app settings > Basic Information > Signing Secret. */
  signingSecret: string;
  /** SLACK_BOT_TOKEN: app settings > OAuth & Permissions > Bot User OAuth Token (xoxb-...). Optional with DRY_RUN. */
  botToken: string;
  /**
   * SLACK_BOT_USER_ID and SLACK_BOT_ID: the bot's ids (auth.test's user_id and bot_id). With both set no
   * auth.test call is made at start-up; without them one is made on the first request.
   */
  botUserId?: string;
  botId?: string;
  /** SLACK_LEASE_MS (default 120000): how long a worker holds a message before another delivery may take it over. */
  leaseMs: number;
  /**
   * SLACK_DONE_TTL_MS (default 86400000, a day): how long a message's record is kept. Longer than Slack
   * retries (~5 min) and than Pub/Sub redelivers (the subscription keeps a message a day).
   */
  doneTtlMs: number;
  /** SLACK_REACTION (default thinking_face): shown on the message while the reply is generated; empty disables. */
  reaction?: string;
  /** LOG_LEVEL (default info): debug, info, warn or error. */
  logLevel: LogLevelName;
}

export interface SlackConfig extends SlackSettings {
  shared: SharedConfig;
  /** SLACK_API_URL: Web API base, e.g. a fake one in tests; Slack's own when unset. */
  slackApiUrl?: string;
  /**
   * DRY_RUN (default off): Slack's Web API is a local stand-in inside this process that logs what would be
   * posted (and answers auth.test and reactions), so nothing reaches Slack. `npm run dev` turns it on.
   */
  dryRun: boolean;
  /** SLACK_INCLUDE_PROMPT (default on): the reply is the prompt in italics, then the continuation (compose-reply.ts); off: the continuation alone. */
  includePrompt: boolean;
  /** With SLACK_TOPIC: work goes through Pub/Sub. Without: the events endpoint answers inside Slack's request (local use). */
  queue?: SlackQueueConfig;
  /** SLACK_FEEDBACK (default on): keep each reply and count reactions on it; off keeps nothing. */
  feedback?: SlackFeedbackConfig;
}

/** Which reactions on the bot's replies count as feedback, and how long it is kept (FEEDBACK_*). */
export interface SlackFeedbackConfig extends FeedbackConfig {
  reactions: ReactionRatings;
}

/** Reaction names as Slack sends them (without a skin tone), each list comma-separated. */
export interface ReactionRatings {
  /** SLACK_FEEDBACK_UP (default +1,thumbsup,heart,joy,fire,100,clap,raised_hands,star_struck,heart_eyes). */
  up: string[];
  /** SLACK_FEEDBACK_DOWN (default -1,thumbsdown). */
  down: string[];
}

export const DEFAULT_REACTION_RATINGS: ReactionRatings = {
  up: ['+1', 'thumbsup', 'heart', 'joy', 'fire', '100', 'clap', 'raised_hands', 'star_struck', 'heart_eyes'],
  down: ['-1', 'thumbsdown'],
};

/** SLACK_TOPIC and the SLACK_WORKER_* settings (the shared queue-config.ts). */
export type SlackQueueConfig = QueueConfig;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The bot token a dry run uses when none is given: the local Web API accepts any bot token. */
export const DRY_RUN_BOT_TOKEN = 'xoxb-dry-run';

export function parseConfig(env: Env = process.env): SlackConfig {
  const read = envReader(env);
  const shared = readSharedConfig(read);
  const dryRun = read.boolean('DRY_RUN', false);
  const logLevel = (read.string('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    read.problem('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  }
  const tokenHint = 'app settings > OAuth & Permissions > Bot User OAuth Token; or DRY_RUN=1 to try the bot without Slack';
  const botToken = dryRun ? (read.string('SLACK_BOT_TOKEN') ?? DRY_RUN_BOT_TOKEN) : read.requiredString('SLACK_BOT_TOKEN', tokenHint);
  if (botToken !== '' && !botToken.startsWith('xoxb-')) read.problem('SLACK_BOT_TOKEN', 'must be a bot token (starts with xoxb-)');
  const slackApiUrl = read.url('SLACK_API_URL', { schemes: ['http', 'https'] });
  if (dryRun && slackApiUrl) read.problem('SLACK_API_URL', 'cannot be used with DRY_RUN (a dry run answers the Web API itself); unset one of them');
  return read.done({
    shared,
    signingSecret: read.requiredString('SLACK_SIGNING_SECRET', 'app settings > Basic Information > Signing Secret'),
    botToken,
    slackApiUrl,
    dryRun,
    botUserId: read.string('SLACK_BOT_USER_ID'),
    botId: read.string('SLACK_BOT_ID'),
    leaseMs: read.number('SLACK_LEASE_MS', 120_000, { min: 100, max: 3_600_000, integer: true }),
    doneTtlMs: read.number('SLACK_DONE_TTL_MS', 24 * 3_600_000, { min: 1000, max: 7 * 24 * 3_600_000, integer: true }),
    reaction: env.SLACK_REACTION === undefined ? 'thinking_face' : read.string('SLACK_REACTION'),
    includePrompt: read.boolean('SLACK_INCLUDE_PROMPT', true),
    logLevel: logLevel as LogLevelName,
    queue: readQueueConfig(read, 'SLACK', shared.googleCloudProject),
    feedback: read.boolean('SLACK_FEEDBACK', true) ? { ...readFeedbackConfig(read), reactions: readReactionRatings(read) } : undefined,
  });
}

function readReactionRatings(read: ReturnType<typeof envReader>): ReactionRatings {
  const up = read.list('SLACK_FEEDBACK_UP') ?? DEFAULT_REACTION_RATINGS.up;
  const down = read.list('SLACK_FEEDBACK_DOWN') ?? DEFAULT_REACTION_RATINGS.down;
  const both = up.filter((name) => down.includes(name));
  if (both.length > 0) read.problem('SLACK_FEEDBACK_DOWN', `names ${both.join(', ')}, which SLACK_FEEDBACK_UP names too; a reaction counts one way`);
  for (const [name, list] of [['SLACK_FEEDBACK_UP', up], ['SLACK_FEEDBACK_DOWN', down]] as const) {
    const bad = list.find((reaction) => !/^[a-z0-9_+'-]+$/.test(reaction));
    if (bad !== undefined) read.problem(name, `${JSON.stringify(bad)} is not a Slack reaction name (as in :+1: or :heart:, without the colons)`);
  }
  return { up, down };
}
