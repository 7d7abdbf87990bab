/** Builds the Discord handler's dependencies from the parsed config: the reply loop, store, queue and API. */
import { createKeyValueStore, createPubSubPublisher, googleIdTokenVerifier, jsonLog, replyLoopFromConfig, type Log, type QueueConfig } from '@mimicbot/functions-shared';
import type { DiscordConfig } from './config.js';
import { createDiscordApi } from './discord-api.js';
import { discordSteps } from './discord-reply.js';
import type { DiscordDeps } from './handler.js';
import { startLocalDiscordApi, type DiscordApiCall, type LocalDiscordApi } from './local-discord-api.js';

/** Discord tries an answer this many times when drafts are empty or filtered. */
const MAX_DRAWS = 3;

export function discordDepsFromConfig(config: DiscordConfig, log: Log = jsonLog): DiscordDeps {
  const { shared, queue } = config;
  const local = config.dryRun ? localApi(log) : undefined;
  log('discord_mode', { summary: describeMode(queue, config) });
  return {
    publicKeyHex: config.publicKeyHex,
    replies: replyLoopFromConfig(shared, { maxDraws: MAX_DRAWS, surface: discordSteps }),
    store: createKeyValueStore(shared.store, 'discord', log),
    api: createDiscordApi({ baseUrl: local ? async () => (await local.start()).url : async () => config.discordApiUrl }),
    queue: {
      publisher: createPubSubPublisher({ project: queue.project, topic: queue.topic, emulatorHost: queue.emulatorHost }),
      auth: queue.workerAuth.kind === 'none' ? queue.workerAuth : { kind: 'oidc', verifier: googleIdTokenVerifier(queue.workerAuth.audience), serviceAccount: queue.workerAuth.serviceAccount },
      maxDeliveryAttempts: queue.maxDeliveryAttempts,
      retryWindowMs: queue.retryWindowMs,
    },
    leaseMs: config.leaseMs,
    doneTtlMs: config.doneTtlMs,
    log,
    close: local?.close,
  };
}

/** The start-up line that says where Discord's work goes and where answers are posted. */
export function describeMode(queue: QueueConfig, config: Pick<DiscordConfig, 'dryRun' | 'discordApiUrl'>): string {
  const where = queue.emulatorHost ? `the Pub/Sub emulator at ${queue.emulatorHost}` : 'Pub/Sub';
  const auth = queue.workerAuth.kind === 'oidc' ? `OIDC tokens for ${queue.workerAuth.audience} from ${queue.workerAuth.serviceAccount}` : 'no token check (emulator)';
  const api = config.dryRun ? 'DRY_RUN: answers are logged (dry_run_edit), not sent to Discord' : `answers are edited in through ${config.discordApiUrl}`;
  return `commands are published to topic ${queue.topic} in project ${queue.project} on ${where}; POST /discord/worker takes its pushes (${auth}); ${api}`;
}

/** DRY_RUN's API: started on first use, logging each edit the bot would have made. */
function localApi(log: Log) {
  let started: Promise<LocalDiscordApi> | undefined;
  const logEdit = (call: DiscordApiCall) => {
    if (call.method === 'PATCH') log('dry_run_edit', { path: call.path.replace(/\/webhooks\/([^/]+)\/[^/]+\//, '/webhooks/$1/<token>/'), content: (call.body as { content?: unknown } | undefined)?.content });
  };
  return {
    start: () => (started ??= startLocalDiscordApi({ onCall: logEdit })),
    close: async () => {
      await (await started)?.close();
    },
  };
}
