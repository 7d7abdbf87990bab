/** Pub/Sub push bodies exactly as Pub/Sub (and its emulator) POSTs them to a push endpoint. */
import { discordJobMessage, type DiscordJob } from '../src/discord-job.js';

let counter = 0;

export function pushBody(job: DiscordJob | { raw: string }, options: { publishTime?: Date; deliveryAttempt?: number } = {}) {
  const data = Buffer.from('raw' in job ? job.raw : discordJobMessage(job)).toString('base64');
  const messageId = String(2_000_000 + ++counter);
  const publishTime = (options.publishTime ?? new Date()).toISOString();
  return {
    message: { data, attributes: {}, messageId, message_id: messageId, publishTime, publish_time: publishTime },
    subscription: 'projects/demo-mimicbot/subscriptions/mimicbot-discord-worker',
    ...(options.deliveryAttempt !== undefined ? { deliveryAttempt: options.deliveryAttempt } : {}),
  };
}
