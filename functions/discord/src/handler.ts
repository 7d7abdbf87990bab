/**
 * The functions-framework HTTP handler of the Discord function. Two endpoints:
 * - `/` and `/interactions`: Discord's Interactions Endpoint URL. Every request's Ed25519 signature is
 *   checked first (401 otherwise); a PING is answered PONG; `/mimic` and "Continue this" are published to
 *   Pub/Sub and answered at once with a deferred response (Discord shows "<bot> is thinking...").
 * - `/discord/worker`: Pub/Sub's pushes of that work (the shared worker-endpoint.ts), which edit the
 *   deferred response through the interaction's webhook.
 * Everything it uses is passed in.
 */
import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { createMessageLedger, createWorkerEndpoint, type KeyValueStore, type Log, type PubSubPublisher, type ReplyLoop, type WorkerAuth } from '@mimicbot/functions-shared';
import type { DiscordApi } from './discord-api.js';
import { createDiscordIntake } from './discord-intake.js';
import { discordJobFromPush } from './discord-job.js';
import { composeDiscordReply } from './discord-reply.js';
import { createDiscordWorker } from './discord-worker.js';
import { interactionVerifier } from './interaction-signature.js';
import { CONTINUE_COMMAND } from './commands.js';
import { InteractionError, readInteraction } from './interactions.js';

export const WORKER_PATH = '/discord/worker';
const INTERACTION_PATHS = new Set(['/', '/interactions']);

/** Discord's interaction response types and the "only you can see this" flag. */
const PONG = 1;
const CHANNEL_MESSAGE_WITH_SOURCE = 4;
const DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5;
const EPHEMERAL = 64;

export interface DiscordDeps {
  publicKeyHex: string;
  /** With the Discord steps (discordSteps) around the shared ones. */
  replies: ReplyLoop;
  store: KeyValueStore;
  api: DiscordApi;
  queue: { publisher: PubSubPublisher; auth: WorkerAuth; maxDeliveryAttempts: number; retryWindowMs: number };
  leaseMs: number;
  doneTtlMs: number;
  log: Log;
  now?: () => number;
  /** Releases what the deps hold besides the store (a dry run's local API). */
  close?: () => Promise<void>;
}

export interface DiscordHandler {
  handle: HttpFunction;
  close(): Promise<void>;
}

const ephemeral = (content: string) => ({ type: CHANNEL_MESSAGE_WITH_SOURCE, data: { content, flags: EPHEMERAL, allowed_mentions: { parse: [] } } });

export function createDiscordHandler(deps: DiscordDeps): DiscordHandler {
  const now = deps.now ?? Date.now;
  const { log } = deps;
  const ledger = createMessageLedger(deps.store, deps);
  const checkSignature = interactionVerifier(deps.publicKeyHex);
  const intake = createDiscordIntake({ ledger, publisher: deps.queue.publisher, log });
  const worker = createDiscordWorker({ ledger, api: deps.api, composeReply: (prompt) => composeDiscordReply(prompt, deps), now, log });
  const workerEndpoint = createWorkerEndpoint({ ...deps.queue, name: 'discord', parseJob: discordJobFromPush, process: worker.process, now, log });

  async function interactions(req: Request, res: Response): Promise<void> {
    if (req.method !== 'POST') {
      res.status(405).set('allow', 'POST').json({ error: { message: 'Discord sends interactions with POST', field: 'method' } });
      return;
    }
    const check = checkSignature({ signature: req.headers['x-signature-ed25519'], timestamp: req.headers['x-signature-timestamp'] }, req.rawBody, now());
    if (!check.ok) {
      log('request_refused', { reason: check.reason });
      res.status(401).json({ error: { message: check.reason, field: check.field } });
      return;
    }
    let interaction;
    try {
      interaction = readInteraction(req.body);
    } catch (error) {
      if (!(error instanceof InteractionError)) throw error;
      log('interaction_invalid', { field: error.field, error: error.message });
      res.status(400).json({ error: { message: error.message, field: error.field } });
      return;
    }
    if (interaction.kind === 'ping') {
      res.json({ type: PONG });
      return;
    }
    if (interaction.kind === 'unsupported') {
      log('interaction_unsupported', { what: interaction.what });
      res.json(ephemeral(`I don't handle that (${interaction.what}); try /mimic.`));
      return;
    }
    if (interaction.command === CONTINUE_COMMAND && interaction.prompt.trim() === '') {
      res.json(ephemeral('That message has no text for me to continue.'));
      return;
    }
    const { interactionId, applicationId, token, prompt } = interaction;
    try {
      await intake({ interactionId, applicationId, token, prompt, enqueuedAt: now() });
    } catch (error) {
      log('discord_queue_failed', { interactionId, error: (error as Error).message });
      res.json(ephemeral("Sorry, I couldn't take that on right now. Try again in a minute."));
      return;
    }
    res.json({ type: DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE });
  }

  const handle: HttpFunction = async (req, res) => {
    if (req.path === WORKER_PATH) return workerEndpoint(req, res);
    if (INTERACTION_PATHS.has(req.path)) return interactions(req, res);
    res.status(404).json({ error: { message: `no Discord endpoint at ${req.method} ${req.path}; use POST / or POST /interactions`, type: 'not_found' } });
  };

  return {
    handle,
    close: async () => {
      await deps.store.close();
      await deps.close?.();
    },
  };
}
