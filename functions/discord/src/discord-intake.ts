/**
 * What the interactions endpoint does with one of our commands once its signature is checked: claim the
 * interaction and publish it, so the endpoint can answer Discord with a deferred response well within its
 * 3 s whatever the model is doing; the worker endpoint edits that response when Pub/Sub pushes the job back.
 */
import type { Log, MessageLedger, PubSubPublisher } from '@mimicbot/functions-shared';
import { discordJobMessage, interactionKey, type DiscordJob } from './discord-job.js';

/** 'queued' also when another delivery of the same interaction already took it: either way it is on its way. */
export type IntakeResult = 'queued' | 'taken';

export function createDiscordIntake(deps: { ledger: MessageLedger; publisher: PubSubPublisher; log: Log }) {
  return async function intake(job: DiscordJob): Promise<IntakeResult> {
    const key = interactionKey(job.interactionId);
    const claim = await deps.ledger.claimToQueue(key);
    if (claim.status === 'taken') {
      deps.log('discord_interaction_skipped', { interactionId: job.interactionId, state: claim.state });
      return 'taken';
    }
    let messageId: string;
    try {
      messageId = await deps.publisher.publish(discordJobMessage(job), { interaction_id: job.interactionId });
    } catch (error) {
      await claim.release().catch(() => {});
      throw error;
    }
    await claim.queued().catch((error: Error) => deps.log('discord_queue_note_failed', { error: error.message }));
    deps.log('discord_interaction_queued', { interactionId: job.interactionId, messageId });
    return 'queued';
  };
}
