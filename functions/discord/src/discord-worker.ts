/**
 * Answers one Discord command: holds its interaction in the shared ledger, generates through the shared
 * reply loop with the gate (discord-reply.ts), and edits the deferred response, recording each step so a
 * redelivery on any instance neither edits again nor leaves the interaction unanswered.
 *
 * The interaction token lives 15 minutes. A job older than that can post nothing: it is logged and settled
 * (acknowledged, so Pub/Sub stops bringing it). A model outage on a delivery that is not `final` sends the
 * job back for Pub/Sub to redeliver; the final one (the retry window, shorter than the token's life, is
 * over) edits the answer into the apology, so the user is never left at "is thinking...".
 */
import type { Log, MessageLedger, QueuedReplyOutcome, Reply } from '@mimicbot/functions-shared';
import type { DiscordApi } from './discord-api.js';
import { INTERACTION_TOKEN_LIFE_MS, interactionKey, tokenAgeMs, type DiscordJob } from './discord-job.js';

export type WorkerOutcome =
  | QueuedReplyOutcome
  /** The interaction token is past its 15 minutes: nothing can be posted. */
  | 'expired';

export interface DiscordWorkerOptions {
  ledger: MessageLedger;
  api: DiscordApi;
  composeReply(prompt: string): Promise<Reply>;
  now: () => number;
  log: Log;
}

export interface DiscordWorker {
  process(job: DiscordJob, delivery: { final: boolean }): Promise<WorkerOutcome>;
}

export function createDiscordWorker(options: DiscordWorkerOptions): DiscordWorker {
  const { ledger, api, log, now } = options;
  const expired = (job: DiscordJob) => tokenAgeMs(job, now()) >= INTERACTION_TOKEN_LIFE_MS;

  return {
    async process(job, delivery) {
      const id = job.interactionId;
      if (expired(job)) {
        log('discord_interaction_expired', { interactionId: id, ageMs: tokenAgeMs(job, now()), note: 'the interaction token lives 15 minutes; nothing posted' });
        return 'expired';
      }
      const claim = await ledger.claimToAnswer(interactionKey(id));
      if (claim.status !== 'claimed') {
        log('discord_interaction_skipped', { interactionId: id, state: claim.status });
        return claim.status;
      }
      log('discord_interaction_claimed', { interactionId: id, final: delivery.final });
      let reply: Reply;
      try {
        reply = await options.composeReply(job.prompt);
      } catch (error) {
        await claim.requeue();
        throw error;
      }
      if (reply.kind === 'apology' && reply.reason === 'model_unavailable' && !delivery.final) {
        await claim.requeue();
        log('discord_reply_deferred', { interactionId: id, reason: 'model_unavailable' });
        return 'retry';
      }
      if (reply.kind === 'apology') log('discord_apology', { interactionId: id, reason: reply.reason });
      // The model may have taken long enough for the token to die meanwhile.
      if (expired(job)) {
        await claim.gaveUp('expired');
        log('discord_interaction_expired', { interactionId: id, ageMs: tokenAgeMs(job, now()), note: 'expired while generating; nothing posted' });
        return 'expired';
      }
      if (!(await claim.startPosting())) {
        log('discord_lease_lost', { interactionId: id });
        return 'retry';
      }
      const edit = await api.editOriginal(job.applicationId, job.token, reply.text);
      if (!edit.ok) {
        log('discord_edit_failed', { interactionId: id, failure: edit.failure, error: edit.error });
        if (edit.failure === 'retry') {
          await claim.notPosted();
          return 'retry';
        }
        if (edit.failure === 'refused') {
          await claim.gaveUp(edit.error.slice(0, 200));
          return 'gave_up';
        }
        return 'outcome_unknown';
      }
      try {
        await claim.posted(edit.messageId);
      } catch (error) {
        // The answer is out; the key still says `posting`, which no redelivery edits over.
        log('discord_record_failed', { interactionId: id, error: (error as Error).message });
      }
      log('discord_answer_posted', { interactionId: id, messageId: edit.messageId, kind: reply.kind });
      return 'posted';
    },
  };
}
