/**
 * Everything the X function reads from its environment, checked once at start-up. The only file of this
 * function that reads `process.env`.
 */
import { envReader, readSharedConfig, type Env, type EnvReader, type SharedConfig } from '@mimicbot/functions-shared';

export interface XCredentials {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
}

/** What the handler does on each trigger; TwitterDeps takes these as they are parsed. */
export interface TwitterSettings {
  /** DRY_RUN (default off): log the text instead of posting it. */
  dryRun: boolean;
  /** REPLY_TO_MENTIONS (default off): after posting, answer mentions that arrived since the last run. */
  replyToMentions: boolean;
  /** MAX_ATTEMPTS (default 4): requests to the model before giving up on duplicates and unusable text. */
  maxAttempts: number;
  /** MAX_RATE_LIMIT_WAIT_MS (default 20000): wait this long at most for X's rate limit to reset. */
  maxRateLimitWaitMs: number;
  /** MAX_REPLIES_PER_RUN (default 5): mentions answered per trigger, oldest first. */
  maxRepliesPerRun: number;
  /** TWEET_PROMPT (default empty): prompt for scheduled posts; empty lets the model start a tweet. */
  tweetPrompt: string;
  /** RECENT_POSTS_DAYS (default 7): a text posted within this many days is not posted again; 0 turns it off. */
  recentPostsDays: number;
  /**
   * POST_DISCLOSURE (default empty: none): appended after one space to every post and reply (e.g. "🤖"),
   * and counted in X's weighted length, so the post with it still fits.
   */
  disclosure: string;
}

/**
 * POST_MODE=curated: a scheduled run drafts candidates into a private Slack channel instead of posting, and
 * a person's Approve posts one (curated-run.ts, curator-app.ts). The bot's own Slack app is used: its
 * Interactivity Request URL points at this function's /slack/actions.
 */
export interface CuratedConfig {
  /** CURATED_CHANNEL (required): the id of the private channel (C...) the drafts go to; the bot must be in it. */
  channel: string;
  /** CURATED_CANDIDATES (default 3): drafts offered per scheduled run, 1 to 10. */
  candidates: number;
  /** CURATED_DRAFT_TTL_MS (default 86400000, a day): after this the buttons answer that the drafts expired. */
  draftTtlMs: number;
  /** SLACK_BOT_TOKEN: the bot's Slack app > OAuth & Permissions > Bot User OAuth Token (xoxb-...). */
  botToken: string;
  /** SLACK_SIGNING_SECRET: the bot's Slack app > Basic Information > Signing Secret (checks each button click). */
  signingSecret: string;
  /** SLACK_API_URL: the Web API base, e.g. a fake one in tests; Slack's own when unset. */
  slackApiUrl?: string;
}

export interface TwitterConfig extends TwitterSettings {
  shared: SharedConfig;
  /** Set with POST_MODE=curated (default auto: each scheduled run posts the best draft itself). */
  curated?: CuratedConfig;
  /**
   * X_APP_KEY, X_APP_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET: OAuth 1.0a user context of the bot account.
   * Optional only with DRY_RUN (nothing is posted; mentions are then not read either).
   */
  x?: XCredentials;
  /** X_API_URL: send X API calls here instead of https://api.x.com/ (tests, a local fake). */
  xApiUrl?: string;
  trigger: {
    /** TRIGGER_SECRET: a caller presenting it in the `x-trigger-secret` header is let in. */
    secret?: string;
    /** SCHEDULER_AUDIENCE: the audience Cloud Scheduler's OIDC token must be issued for (the function URL). */
    audience?: string;
    /** SCHEDULER_SERVICE_ACCOUNT: the service account Cloud Scheduler signs its token as. */
    serviceAccount?: string;
  };
}

const X_KEYS = ['X_APP_KEY', 'X_APP_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET'] as const;
const X_KEYS_HINT = 'from the X developer portal: your app > Keys and tokens';

export function parseConfig(env: Env = process.env): TwitterConfig {
  const read = envReader(env);
  const shared = readSharedConfig(read);
  const trigger = {
    secret: read.string('TRIGGER_SECRET'),
    audience: read.string('SCHEDULER_AUDIENCE'),
    serviceAccount: read.string('SCHEDULER_SERVICE_ACCOUNT'),
  };
  if (trigger.audience && !trigger.serviceAccount) {
    read.problem('SCHEDULER_SERVICE_ACCOUNT', 'is required with SCHEDULER_AUDIENCE (the e-mail of the service account Cloud Scheduler uses)');
  }
  if (!trigger.secret && !trigger.audience) {
    read.problem('TRIGGER_SECRET', 'or SCHEDULER_AUDIENCE + SCHEDULER_SERVICE_ACCOUNT is required, so that only Cloud Scheduler can make the bot post');
  }
  const dryRun = read.boolean('DRY_RUN', false);
  const anyXKey = X_KEYS.some((name) => read.string(name) !== undefined);
  const [appKey, appSecret, accessToken, accessSecret] = dryRun && !anyXKey ? [] : X_KEYS.map((name) => read.requiredString(name, X_KEYS_HINT));
  const postMode = read.string('POST_MODE') ?? 'auto';
  if (postMode !== 'auto' && postMode !== 'curated') read.problem('POST_MODE', `must be auto or curated, got ${JSON.stringify(postMode)}`);
  return read.done({
    shared,
    curated: readCurated(read, postMode === 'curated'),
    x: appKey === undefined ? undefined : { appKey, appSecret, accessToken, accessSecret },
    xApiUrl: read.url('X_API_URL', { schemes: ['http', 'https'] }),
    trigger,
    dryRun,
    replyToMentions: read.boolean('REPLY_TO_MENTIONS', false),
    maxAttempts: read.number('MAX_ATTEMPTS', 4, { min: 1, max: 20, integer: true }),
    maxRateLimitWaitMs: read.number('MAX_RATE_LIMIT_WAIT_MS', 20_000, { min: 0, max: 600_000, integer: true }),
    maxRepliesPerRun: read.number('MAX_REPLIES_PER_RUN', 5, { min: 0, max: 100, integer: true }),
    tweetPrompt: env.TWEET_PROMPT ?? '',
    recentPostsDays: read.number('RECENT_POSTS_DAYS', 7, { min: 0, max: 365 }),
    disclosure: readDisclosure(read),
  });
}

/** Short enough to leave a post room for words: 280 weighted characters in all. */
const MAX_DISCLOSURE_CHARS = 40;

function readDisclosure(read: EnvReader): string {
  const disclosure = read.string('POST_DISCLOSURE') ?? '';
  if ([...disclosure].length > MAX_DISCLOSURE_CHARS) read.problem('POST_DISCLOSURE', `must be at most ${MAX_DISCLOSURE_CHARS} characters, got ${[...disclosure].length}`);
  return disclosure;
}

/**
 * The curated settings are read (and checked when set) in either mode, so a deployment can carry them
 * before it switches; they are required only with POST_MODE=curated.
 */
function readCurated(read: EnvReader, curated: boolean): CuratedConfig | undefined {
  const required = (name: string, hint: string) => (curated ? read.requiredString(name, hint) : (read.string(name) ?? ''));
  const channel = required('CURATED_CHANNEL', "the private channel's id (channel details > About, at the bottom: C...)");
  if (channel !== '' && !/^[CG][A-Z0-9]{6,}$/.test(channel)) read.problem('CURATED_CHANNEL', `must be a channel id such as C0123456789 (not its name), got ${JSON.stringify(channel)}`);
  const botToken = required('SLACK_BOT_TOKEN', "the bot's Slack app > OAuth & Permissions > Bot User OAuth Token (xoxb-...)");
  if (botToken !== '' && !botToken.startsWith('xoxb-')) read.problem('SLACK_BOT_TOKEN', 'must be a bot token (starts with xoxb-)');
  const settings: CuratedConfig = {
    channel,
    candidates: read.number('CURATED_CANDIDATES', 3, { min: 1, max: 10, integer: true }),
    draftTtlMs: read.number('CURATED_DRAFT_TTL_MS', 24 * 3_600_000, { min: 60_000, max: 30 * 24 * 3_600_000, integer: true }),
    botToken,
    signingSecret: required('SLACK_SIGNING_SECRET', "the bot's Slack app > Basic Information > Signing Secret"),
    slackApiUrl: read.url('SLACK_API_URL', { schemes: ['http', 'https'] }),
  };
  return curated ? settings : undefined;
}
