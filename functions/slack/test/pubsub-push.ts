/** Pub/Sub push bodies exactly as Pub/Sub (and its emulator) POSTs them to a push endpoint. */
import { slackJobMessage, type SlackJob } from '../src/slack-job.js';

let counter = 0;

export function pushBody(job: SlackJob | { raw: string }, options: { messageId?: string; publishTime?: Date; deliveryAttempt?: number } = {}) {
  const data = Buffer.from('raw' in job ? job.raw : slackJobMessage(job)).toString('base64');
  const messageId = options.messageId ?? String(1_000_000 + ++counter);
  const publishTime = (options.publishTime ?? new Date()).toISOString();
  return {
    message: { data, attributes: { message_key: 'raw' in job ? 'unknown' : job.key }, messageId, message_id: messageId, publishTime, publish_time: publishTime },
    subscription: 'projects/demo-mimicbot/subscriptions/mimicbot-slack-worker',
    ...(options.deliveryAttempt !== undefined ? { deliveryAttempt: options.deliveryAttempt } : {}),
  };
}
