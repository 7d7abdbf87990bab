/**
 * The one file of this function that calls Slack's Web API (through Bolt's WebClient): post the drafts,
 * replace them, and tell one person something only they see. Slack's failures become CuratorSlackError,
 * so nothing else sees a vendor type.
 */
import { webApi } from '@slack/bolt';
import type { SlackMessage } from './draft-messages.js';

export interface CuratorSlack {
  post(channel: string, message: SlackMessage): Promise<{ ts: string }>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** An ephemeral message: only `user` sees it, in `channel`. */
  tell(channel: string, user: string, text: string): Promise<void>;
}

/** Slack refused a call or could not be reached; the message carries Slack's own code (channel_not_found, ...). */
export class CuratorSlackError extends Error {}

async function translated<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const data = (error as { data?: { error?: string } }).data;
    throw new CuratorSlackError(`Slack ${method} failed: ${data?.error ?? (error as Error).message}`);
  }
}

export function createCuratorSlack(botToken: string, slackApiUrl?: string): CuratorSlack {
  // Few retries: a scheduled run and a button click both have little time, and a failure is reported.
  const client = new webApi.WebClient(botToken, { slackApiUrl, retryConfig: { retries: 1 }, rejectRateLimitedCalls: true, timeout: 10_000, logLevel: webApi.LogLevel.ERROR });
  return {
    post: (channel, message) =>
      translated('chat.postMessage', async () => {
        const answer = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never, unfurl_links: false, unfurl_media: false });
        return { ts: String(answer.ts) };
      }),
    update: (channel, ts, message) => translated('chat.update', async () => void (await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks as never }))),
    tell: (channel, user, text) => translated('chat.postEphemeral', async () => void (await client.chat.postEphemeral({ channel, user, text }))),
  };
}
