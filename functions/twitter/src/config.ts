/**
 * Everything the X function reads from its environment, checked once at start-up. The only file of this
 * function that reads `process.env`.
 */
import { envReader, readSharedConfig, type Env, type SharedConfig } from '@mimicbot/functions-shared';

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
}

export interface TwitterConfig extends TwitterSettings {
  shared: SharedConfig;
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
  return read.done({
    shared,
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
  });
}
