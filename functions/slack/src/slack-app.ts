/**
 * The Bolt app: a receiver that fits functions-framework, and the listeners that answer mentions and DMs.
 *
 * The receiver is Bolt's HTTPReceiver used through its `requestListener`: functions-framework has already
 * buffered the body into `req.rawBody`, which Bolt verifies the signature against byte for byte.
 * `processBeforeResponse: true` is set on the receiver (the App-level flag is ignored when a receiver is
 * passed), so the HTTP response goes out only when the reply has been posted: on Cloud Functions an
 * instance may be frozen once it has responded.
 */
import { App, HTTPReceiver, LogLevel, type webApi } from '@slack/bolt';
import type { BotIdentity } from './bot-identity.js';
import type { Reply } from './compose-reply.js';
import type { SlackSettings } from './config.js';
import { messageKey, type MessageClaims } from './message-claims.js';
import { promptFromMessage } from './mention-text.js';

export const SLACK_ENDPOINTS = ['/', '/slack/events'];

/** `reaction`: emoji name shown while generating; none when unset. */
export interface SlackAppOptions extends Pick<SlackSettings, 'signingSecret' | 'botToken' | 'reaction' | 'logLevel'> {
  /** Web API base URL; Slack's own when undefined. */
  slackApiUrl?: string;
  identity: BotIdentity;
  claims: MessageClaims;
  composeReply(prompt: string): Promise<Reply>;
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

  async function react(client: webApi.WebClient, method: 'add' | 'remove', message: Addressed, log: (m: string) => void) {
    if (!options.reaction) return;
    try {
      await client.reactions[method]({ name: options.reaction, channel: message.channel, timestamp: message.ts });
    } catch (error) {
      // A missing reactions:write scope or an already-removed reaction must not cost the reply.
      log(`reactions.${method} failed: ${(error as { data?: { error?: string } }).data?.error ?? (error as Error).message}`);
    }
  }

  async function answer(message: Addressed, client: webApi.WebClient, logger: App['logger']): Promise<void> {
    const key = messageKey(message.teamId, message.channel, message.ts);
    const claim = await options.claims.claim(key);
    if (claim.status !== 'claimed') {
      logger.info(`message ${message.channel}/${message.ts} is ${claim.status}; acknowledged without answering again`);
      return;
    }
    let posted = false;
    try {
      await react(client, 'add', message, (m) => logger.warn(m));
      const reply = await options.composeReply(promptFromMessage(message.text, options.identity.botUserId));
      if (reply.kind === 'apology') logger.warn(`answering ${message.channel}/${message.ts} with an apology: ${reply.reason}`);
      // In a channel the reply goes in the message's thread; in a DM only when the DM itself was threaded.
      const threadTs = message.threadTs ?? (isDirectMessageChannel(message.channel) ? undefined : message.ts);
      await client.chat.postMessage({ channel: message.channel, text: reply.text, ...(threadTs ? { thread_ts: threadTs } : {}) });
      posted = true;
      await claim.complete();
      await react(client, 'remove', message, (m) => logger.warn(m));
    } catch (error) {
      if (posted) {
        // The reply is out; failing now would make Slack retry and the bot answer twice.
        logger.error(`reply posted but bookkeeping failed: ${(error as Error).message}`);
        return;
      }
      // Let go so Slack's retry of this event does the work instead of being acknowledged and lost.
      await claim.release().catch((e: Error) => logger.error(`could not release ${key}: ${e.message}`));
      throw error;
    }
  }

  app.event('app_mention', async ({ event, body, client, logger }) => {
    // Bolt's ignoreSelf drops the bot's own messages; other bots are dropped here to avoid bot-to-bot loops.
    if (event.bot_id || (event.subtype !== undefined && !ANSWERED_SUBTYPES.has(event.subtype))) return;
    await answer({ teamId: body.team_id, channel: event.channel, ts: event.ts, threadTs: event.thread_ts, text: event.text }, client, logger);
  });

  app.message(async ({ message, body, client, logger }) => {
    // User messages in a DM with the bot only: no edits, deletions, bot posts or channel chatter.
    if (message.subtype !== undefined && message.subtype !== 'file_share') return;
    if (message.channel_type !== 'im' || ('bot_id' in message && message.bot_id)) return;
    await answer({ teamId: body.team_id, channel: message.channel, ts: message.ts, threadTs: message.thread_ts, text: message.text }, client, logger);
  });

  return { app, receiver };
}

/** DM (im) channel ids start with D; app_mention events carry no channel_type to tell otherwise. */
export function isDirectMessageChannel(channel: string): boolean {
  return channel.startsWith('D');
}
