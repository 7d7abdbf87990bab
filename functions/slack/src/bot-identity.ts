/**
 * The bot's own ids, which Bolt needs to ignore the bot's own messages. From config when given; otherwise
 * one bounded auth.test call. Bolt would make that call itself in its constructor, where a failure is an
 * unhandled rejection that kills the process; here a failure is an ordinary error the handler answers with 503.
 */
import { webApi } from '@slack/bolt';

export interface BotIdentity {
  botUserId: string;
  botId: string;
}

export class BotIdentityError extends Error {
  readonly code = 'slack_bot_identity';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BotIdentityError';
  }
}

export async function resolveBotIdentity(options: {
  botToken: string;
  slackApiUrl?: string;
  botUserId?: string;
  botId?: string;
}): Promise<BotIdentity> {
  if (options.botUserId && options.botId) return { botUserId: options.botUserId, botId: options.botId };
  const client = new webApi.WebClient(options.botToken, {
    slackApiUrl: options.slackApiUrl,
    retryConfig: { retries: 1, maxRetryTime: 5_000 },
    timeout: 5_000,
    logLevel: webApi.LogLevel.ERROR,
  });
  let result: { user_id?: string; bot_id?: string };
  try {
    result = await client.auth.test();
  } catch (error) {
    const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new BotIdentityError(
      `auth.test failed (${reason}); check SLACK_BOT_TOKEN, or set SLACK_BOT_USER_ID and SLACK_BOT_ID`,
      { cause: error },
    );
  }
  if (!result.user_id || !result.bot_id) throw new BotIdentityError('auth.test did not return user_id and bot_id');
  return { botUserId: result.user_id, botId: result.bot_id };
}
