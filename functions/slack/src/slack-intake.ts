/**
 * What the events endpoint does with a message addressed to the bot, once Bolt has verified the request.
 *
 * With a queue (SLACK_TOPIC): claim the message and publish it, then answer Slack, well within its 3 s
 * whatever the model is doing; the worker endpoint does the rest when Pub/Sub pushes the message back.
 * Without one (local use): do the work inside Slack's request, as the worker would, with every delivery
 * final (no redelivery to wait for); Slack's own retries stand in for Pub/Sub's.
 */
import type { Log, MessageLedger, PubSubPublisher } from '@mimicbot/functions-shared';
import { slackJobMessage, type SlackJob } from './slack-job.js';
import type { SlackWorker } from './slack-worker.js';

export type SlackIntake = (job: SlackJob) => Promise<void>;

/** A failure Slack should see (HTTP 500), so that it delivers the event again. */
export class SlackRetryLaterError extends Error {
  readonly code = 'slack_retry_later';
  constructor(message: string) {
    super(message);
    this.name = 'SlackRetryLaterError';
  }
}

export function queueIntake(ledger: MessageLedger, publisher: PubSubPublisher, log: Log): SlackIntake {
  return async (job) => {
    const claim = await ledger.claimToQueue(job.key);
    if (claim.status === 'taken') {
      log('slack_message_skipped', { channel: job.channel, ts: job.ts, state: claim.state });
      return;
    }
    let messageId: string;
    try {
      messageId = await publisher.publish(slackJobMessage(job), { message_key: job.key });
    } catch (error) {
      // Let go, so Slack's retry of this event publishes it instead of being acknowledged and lost.
      await claim.release().catch(() => {});
      throw error;
    }
    // Published: a failure to note it must not fail the request (the worker takes `publishing` as well).
    await claim.queued().catch((error: Error) => log('slack_queue_note_failed', { error: error.message }));
    log('slack_message_queued', { channel: job.channel, ts: job.ts, messageId });
  };
}

export function inlineIntake(worker: SlackWorker): SlackIntake {
  return async (job) => {
    const outcome = await worker.process(job, { final: true });
    if (outcome === 'retry') throw new SlackRetryLaterError(`message ${job.channel}/${job.ts} was not answered; Slack will retry it`);
  };
}
