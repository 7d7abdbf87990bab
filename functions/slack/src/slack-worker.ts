/**
 * Answers one Slack message: holds it in the ledger, shows the reaction, generates through the shared
 * reply loop (compose-reply.ts), and posts the reply in the thread, recording each step so a redelivery
 * neither posts again nor leaves the message unanswered (the shared message-ledger.ts says which window remains).
 *
 * A model outage is not the end of a delivery that is not `final`: the message goes back to the queue and
 * Pub/Sub brings it again with backoff, so the user gets a real reply once the model is back. Only the
 * final delivery (past the retry window, or Pub/Sub's last attempt; inline, every delivery) apologises.
 */
import { servedReply, type Log, type MessageLedger, type QueuedReplyOutcome } from '@mimicbot/functions-shared';
import { webApi } from '@slack/bolt';
import type { Reply } from './compose-reply.js';
import { slackReplyId, type SlackFeedback } from './reaction-feedback.js';
import type { SlackJob } from './slack-job.js';

export type WorkerOutcome = QueuedReplyOutcome;

export interface SlackWorkerOptions {
  ledger: MessageLedger;
  /** Posts and reacts as the bot; its own retries off, so this file decides what a failure means. */
  client: webApi.WebClient;
  /** Emoji shown on the message while the reply is generated; none when unset. */
  reaction?: string;
  composeReply(prompt: string): Promise<Reply>;
  /** Where each generated reply is kept, so reactions on it count (reaction-feedback.ts). */
  feedback?: SlackFeedback;
  now?: () => number;
  log: Log;
}

export interface SlackWorker {
  process(job: SlackJob, delivery: { final: boolean }): Promise<WorkerOutcome>;
}

/** Slack errors after which the same post may succeed later. */
const TRANSIENT_SLACK_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** Whether a failed chat.postMessage was certainly not posted, and whether trying again can help. */
export function classifyPostFailure(error: unknown): 'retry' | 'refused' | 'unknown' {
  const failure = error as { code?: string; data?: { error?: string }; original?: { code?: string } };
  switch (failure.code) {
    case webApi.ErrorCode.PlatformError:
      return TRANSIENT_SLACK_ERRORS.has(failure.data?.error ?? '') ? 'retry' : 'refused';
    case webApi.ErrorCode.RateLimitedError:
    case webApi.ErrorCode.HTTPError:
      return 'retry';
    case webApi.ErrorCode.RequestError:
      // Refused before anything was sent; any other transport error may have reached Slack.
      return failure.original?.code === 'ECONNREFUSED' ? 'retry' : 'unknown';
    default:
      return 'unknown';
  }
}

export function createSlackWorker(options: SlackWorkerOptions): SlackWorker {
  const { ledger, client, log } = options;
  const now = options.now ?? Date.now;

  /** Keeps a posted reply for feedback; a store that fails costs the feedback on it, never the reply. */
  async function keep(job: SlackJob, reply: Reply, replyTs: string): Promise<void> {
    if (!options.feedback || reply.kind !== 'generated' || replyTs === 'unknown') return;
    const shown = { surface: 'slack', id: slackReplyId(job.channel, replyTs), prompt: job.prompt, text: reply.text, model: options.feedback.model, servedAt: now() } as const;
    try {
      await options.feedback.store.saveReply(servedReply(reply.source, shown));
    } catch (error) {
      log('slack_feedback_not_kept', { channel: job.channel, ts: replyTs, error: (error as Error).message });
    }
  }

  async function react(method: 'add' | 'remove', job: SlackJob): Promise<void> {
    if (!options.reaction) return;
    try {
      await client.reactions[method]({ name: options.reaction, channel: job.channel, timestamp: job.ts });
    } catch (error) {
      // A missing reactions:write scope, or the reaction already there from an earlier delivery, must not cost the reply.
      log('slack_reaction_not_changed', { method, error: (error as { data?: { error?: string } }).data?.error ?? (error as Error).message });
    }
  }

  return {
    async process(job, delivery) {
      const claim = await ledger.claimToAnswer(job.key);
      if (claim.status !== 'claimed') {
        log('slack_message_skipped', { channel: job.channel, ts: job.ts, state: claim.status });
        return claim.status;
      }
      log('slack_message_claimed', { channel: job.channel, ts: job.ts, final: delivery.final });
      await react('add', job);
      let reply: Reply;
      try {
        reply = await options.composeReply(job.prompt);
      } catch (error) {
        await claim.requeue();
        throw error;
      }
      if (reply.kind === 'apology' && reply.reason === 'model_unavailable' && !delivery.final) {
        // The reaction stays: the bot is still thinking about it.
        await claim.requeue();
        log('slack_reply_deferred', { channel: job.channel, ts: job.ts, reason: 'model_unavailable' });
        return 'retry';
      }
      if (reply.kind === 'apology') log('slack_apology', { channel: job.channel, ts: job.ts, reason: reply.reason });
      if (!(await claim.startPosting())) {
        log('slack_lease_lost', { channel: job.channel, ts: job.ts });
        return 'retry';
      }
      let replyTs: string;
      try {
        const posted = await client.chat.postMessage({ channel: job.channel, text: reply.text, ...(job.threadTs ? { thread_ts: job.threadTs } : {}) });
        replyTs = posted.ts ?? 'unknown';
      } catch (error) {
        const failure = classifyPostFailure(error);
        const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
        log('slack_post_failed', { channel: job.channel, ts: job.ts, failure, error: reason });
        if (failure === 'retry') {
          await claim.notPosted();
          return 'retry';
        }
        if (failure === 'refused') {
          await claim.gaveUp(reason);
          await react('remove', job);
          return 'gave_up';
        }
        return 'outcome_unknown';
      }
      try {
        await claim.posted(replyTs);
      } catch (error) {
        // The reply is out; the key still says `posting`, which no redelivery posts over.
        log('slack_record_failed', { channel: job.channel, ts: job.ts, error: (error as Error).message });
      }
      await keep(job, reply, replyTs);
      await react('remove', job);
      return 'posted';
    },
  };
}
