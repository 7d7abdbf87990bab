/**
 * The Bolt app: a receiver that fits functions-framework, and the listeners that pick out the messages to
 * answer (mentions and DMs from people) and hand each, as a job, to the intake (slack-intake.ts).
 *
 * The receiver is Bolt's HTTPReceiver used through its `requestListener`: functions-framework has already
 * buffered the body into `req.rawBody`, which Bolt verifies the signature against byte for byte.
 * `processBeforeResponse: true` is set on the receiver (the App-level flag is ignored when a receiver is
 * passed), so the HTTP response goes out only when the intake is done: on Cloud Run an instance's CPU is
 * throttled once it has responded. With a queue the intake only claims and publishes, so that is quick.
 */
import type { Log } from '@mimicbot/functions-shared';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { BotIdentity } from './bot-identity.js';
import type { SlackSettings } from './config.js';
import { promptFromMessage } from './mention-text.js';
import { ratingForReaction, slackReplyId, type SlackFeedback } from './reaction-feedback.js';
import type { SlackIntake } from './slack-intake.js';
import { messageKey, type SlackJob } from './slack-job.js';

export const SLACK_ENDPOINTS = ['/', '/slack/events'];

export interface SlackAppOptions extends Pick<SlackSettings, 'signingSecret' | 'botToken' | 'logLevel'> {
  /** Web API base URL; Slack's own when undefined. */
  slackApiUrl?: string;
  identity: BotIdentity;
  intake: SlackIntake;
  /** Counts reactions on the bot's replies; without it reactions are ignored. */
  feedback?: SlackFeedback;
  log: Log;
}

/** A message the bot should answer, from either event type. */
interface Addressed {
  teamId?: string;
  channel: string;
  ts: string;
  threadTs?: string;
  text?: string;
}

/** A user's message with a file attached, or a thread reply also sent to the channel, is still a message to answer. */
const ANSWERED_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

const LOG_LEVELS = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR };

export function createSlackApp(options: SlackAppOptions): { app: App; receiver: HTTPReceiver } {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: SLACK_ENDPOINTS,
    processBeforeResponse: true,
    logLevel: LOG_LEVELS[options.logLevel],
  });
  const app = new App({
    token: options.botToken,
    // Both ids given: Bolt skips its own auth.test at construction (see bot-identity.ts).
    botId: options.identity.botId,
    botUserId: options.identity.botUserId,
    receiver,
    logLevel: LOG_LEVELS[options.logLevel],
    clientOptions: {
      slackApiUrl: options.slackApiUrl,
      // The Web API client's default retries for ~30 minutes; a function has far less time than that.
      retryConfig: { retries: 2, maxRetryTime: 10_000 },
      timeout: 10_000,
    },
  });

  /** The job for a message: its key, and the prompt and thread decided here, where the bot's identity is known. */
  function jobFor(message: Addressed): SlackJob {
    // In a channel the reply goes in the message's thread; in a DM only when the DM itself was threaded.
    const threadTs = message.threadTs ?? (isDirectMessageChannel(message.channel) ? undefined : message.ts);
    return {
      key: messageKey(message.teamId, message.channel, message.ts),
      channel: message.channel,
      ts: message.ts,
      ...(threadTs ? { threadTs } : {}),
      prompt: promptFromMessage(message.text, options.identity.botUserId),
    };
  }

  app.event('app_mention', async ({ event, body }) => {
    // Bolt's ignoreSelf drops the bot's own messages; other bots are dropped here to avoid bot-to-bot loops.
    if (event.bot_id || (event.subtype !== undefined && !ANSWERED_SUBTYPES.has(event.subtype))) return;
    await options.intake(jobFor({ teamId: body.team_id, channel: event.channel, ts: event.ts, threadTs: event.thread_ts, text: event.text }));
  });

  app.message(async ({ message, body }) => {
    // User messages in a DM with the bot only: no edits, deletions, bot posts or channel chatter.
    if (message.subtype !== undefined && message.subtype !== 'file_share') return;
    if (message.channel_type !== 'im' || ('bot_id' in message && message.bot_id)) return;
    await options.intake(jobFor({ teamId: body.team_id, channel: message.channel, ts: message.ts, threadTs: message.thread_ts, text: message.text }));
  });

  // Reactions are counted inside Slack's request: one conditional write, well within its 3 s. A failure
  // answers 500, so Slack delivers the event again; rating again is harmless.
  const { feedback } = options;
  if (feedback) {
    for (const [type, added] of [['reaction_added', true], ['reaction_removed', false]] as const) {
      app.event(type, async ({ event }) => {
        // Only the bot's own messages (its replies), and only reactions that mean something.
        if (event.item.type !== 'message' || event.item_user !== options.identity.botUserId) return;
        const rating = ratingForReaction(event.reaction, feedback.reactions);
        if (rating === undefined) return;
        const id = slackReplyId(event.item.channel, event.item.ts);
        const counted = await feedback.store.rate('slack', id, event.user, added ? rating : null);
        options.log('slack_feedback', { channel: event.item.channel, ts: event.item.ts, rating: added ? rating : 'withdrawn', counted });
      });
    }
  }

  return { app, receiver };
}

/** DM (im) channel ids start with D; app_mention events carry no channel_type to tell otherwise. */
export function isDirectMessageChannel(channel: string): boolean {
  return channel.startsWith('D');
}
