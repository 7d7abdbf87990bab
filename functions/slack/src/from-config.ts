/** Builds the Slack handler's dependencies from the parsed config: the reply loop, store, queue and Web API. */
import { createKeyValueStore, createPubSubPublisher, feedbackStoreFromConfig, googleIdTokenVerifier, jsonLog, replyLoopFromConfig, type Log } from '@mimicbot/functions-shared';
import { slackSteps } from './compose-reply.js';
import type { SlackConfig, SlackQueueConfig } from './config.js';
import type { SlackDeps, SlackQueueDeps } from './handler.js';
import { startLocalSlackApi, type LocalSlackApi, type SlackApiCall } from './local-slack-api.js';

/** Slack tries an answer this many times when drafts are empty or filtered. */
const MAX_DRAWS = 3;

export function slackDepsFromConfig(config: SlackConfig, log: Log = jsonLog): SlackDeps {
  const { shared, slackApiUrl, dryRun, includePrompt, queue, feedback, ...settings } = config;
  const local = dryRun ? localWebApi(log) : undefined;
  log('slack_mode', { summary: describeMode(queue) });
  return {
    ...settings,
    replies: replyLoopFromConfig(shared, { maxDraws: MAX_DRAWS, surface: slackSteps(includePrompt) }),
    store: createKeyValueStore(shared.store, 'slack', log),
    slackApiUrl: local ? async () => (await local.start()).url : async () => slackApiUrl,
    queue: queue && queueDeps(queue),
    // Voter ids are hashed under FEEDBACK_VOTER_KEY, or a key derived from the signing secret (voter-digest.ts).
    feedback: feedback && {
      store: feedbackStoreFromConfig(shared.store, feedback, { fallbackSecret: settings.signingSecret, log }),
      reactions: feedback.reactions,
      model: shared.modelName,
    },
    log,
    close: local?.close,
  };
}

function queueDeps(queue: SlackQueueConfig): SlackQueueDeps {
  const { workerAuth } = queue;
  return {
    publisher: createPubSubPublisher({ project: queue.project, topic: queue.topic, emulatorHost: queue.emulatorHost }),
    auth: workerAuth.kind === 'none' ? workerAuth : { kind: 'oidc', verifier: googleIdTokenVerifier(workerAuth.audience), serviceAccount: workerAuth.serviceAccount },
    maxDeliveryAttempts: queue.maxDeliveryAttempts,
    retryWindowMs: queue.retryWindowMs,
  };
}

/** The start-up line that says where Slack's work is done. */
export function describeMode(queue: SlackQueueConfig | undefined): string {
  if (!queue) return 'no SLACK_TOPIC: replies are generated inside Slack\'s request (for local use; a reply slower than 3 s makes Slack retry)';
  const where = queue.emulatorHost ? `the Pub/Sub emulator at ${queue.emulatorHost}` : 'Pub/Sub';
  const auth = queue.workerAuth.kind === 'oidc' ? `OIDC tokens for ${queue.workerAuth.audience} from ${queue.workerAuth.serviceAccount}` : 'no token check (emulator)';
  return `events are published to topic ${queue.topic} in project ${queue.project} on ${where}; POST /slack/worker takes its pushes (${auth}), retrying a model outage for ${Math.round(queue.retryWindowMs / 1000)} s`;
}

/** DRY_RUN's Web API: started on first use, logging each message the bot would have posted. */
function localWebApi(log: Log) {
  let started: Promise<LocalSlackApi> | undefined;
  const logPost = (call: SlackApiCall) => {
    if (call.method === 'chat.postMessage') log('dry_run_post', { channel: call.params.channel, threadTs: call.params.thread_ts, text: call.params.text });
  };
  return {
    start: () => (started ??= startLocalSlackApi({ onCall: logPost })),
    close: async () => {
      await (await started)?.close();
    },
  };
}
