/**
 * The functions-framework HTTP handler of the Slack function. Two endpoints:
 * - `/` and `/slack/events`: Slack's Events API, through Bolt (signature, url_verification, listeners),
 *   which hands each message to answer to the intake: published to Pub/Sub with a queue, answered inline
 *   without one. Requests dated too far in the future are refused first.
 * - `/slack/worker`: Pub/Sub's pushes of that work (the shared worker-endpoint.ts), with a queue only.
 * The Bolt app and the worker are built on the first request, after resolving the bot's identity.
 * Other paths get a 404 (Bolt's HTTPReceiver throws for them, which functions-framework would turn into a
 * 500 "crash"). Everything it uses is passed in.
 */
import type { HttpFunction } from '@google-cloud/functions-framework';
import { createMessageLedger, createWorkerEndpoint, futureTimestampProblem, type KeyValueStore, type Log, type PubSubPublisher, type ReplyLoop, type WorkerAuth } from '@mimicbot/functions-shared';
import { HTTPReceiverDeferredRequestError, webApi, type HTTPReceiver } from '@slack/bolt';
import { resolveBotIdentity } from './bot-identity.js';
import { composeReply } from './compose-reply.js';
import type { SlackSettings } from './config.js';
import type { SlackFeedback } from './reaction-feedback.js';
import { createSlackApp } from './slack-app.js';
import { inlineIntake, queueIntake } from './slack-intake.js';
import { createSlackWorker, type SlackWorker } from './slack-worker.js';
import { slackJobFromPush } from './slack-job.js';

export const WORKER_PATH = '/slack/worker';

export interface SlackQueueDeps {
  publisher: PubSubPublisher;
  auth: WorkerAuth;
  maxDeliveryAttempts: number;
  retryWindowMs: number;
}

export interface SlackDeps extends SlackSettings {
  /** With the Slack steps (slackSteps) around the shared ones. */
  replies: ReplyLoop;
  store: KeyValueStore;
  /** The Web API base URL, resolved on the first request; Slack's own when it resolves to undefined. */
  slackApiUrl: () => Promise<string | undefined>;
  /** Work through Pub/Sub; without it the events endpoint answers inside Slack's request. */
  queue?: SlackQueueDeps;
  /** Keeps each reply and counts reactions on it (SLACK_FEEDBACK); nothing is kept without it. */
  feedback?: SlackFeedback;
  log: Log;
  now?: () => number;
  /** Releases what the deps hold besides the store (a dry run's local Web API). */
  close?: () => Promise<void>;
}

export interface SlackHandler {
  handle: HttpFunction;
  close(): Promise<void>;
}

interface Started {
  receiver: HTTPReceiver;
  worker: SlackWorker;
}

export function createSlackHandler(deps: SlackDeps): SlackHandler {
  const now = deps.now ?? Date.now;
  const ledger = createMessageLedger(deps.store, deps);

  let started: Promise<Started> | undefined;
  function ready(): Promise<Started> {
    if (!started) {
      started = (async () => {
        const slackApiUrl = await deps.slackApiUrl();
        const identity = await resolveBotIdentity({ ...deps, slackApiUrl });
        const worker = createSlackWorker({
          ledger,
          // No retries of its own (the worker decides what a failure means) and rate limits as errors.
          client: new webApi.WebClient(deps.botToken, { slackApiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000, logLevel: webApi.LogLevel.ERROR }),
          reaction: deps.reaction,
          composeReply: (prompt) => composeReply(prompt, deps),
          feedback: deps.feedback,
          now,
          log: deps.log,
        });
        const intake = deps.queue ? queueIntake(ledger, deps.queue.publisher, deps.log) : inlineIntake(worker);
        const { receiver } = createSlackApp({ ...deps, slackApiUrl, identity, intake });
        return { receiver, worker };
      })();
      // A failed start is retried on the next request rather than remembered.
      started.catch(() => (started = undefined));
    }
    return started;
  }

  const workerEndpoint = deps.queue && createWorkerEndpoint({
      ...deps.queue,
      name: 'slack',
      parseJob: slackJobFromPush,
      process: async (job, delivery) => (await ready()).worker.process(job, delivery),
      now,
      log: deps.log,
    });

  const handle: HttpFunction = async (req, res) => {
    if (req.path === WORKER_PATH) {
      if (workerEndpoint) return workerEndpoint(req, res);
      res.status(404).json({ error: { message: `no worker here: ${WORKER_PATH} serves Pub/Sub pushes only when SLACK_TOPIC is set`, type: 'not_found' } });
      return;
    }
    const future = futureTimestampProblem(req.headers['x-slack-request-timestamp'], now());
    if (future) {
      deps.log('request_refused', { reason: 'timestamp_in_future' });
      res.status(401).json({ error: { message: future, field: 'x-slack-request-timestamp' } });
      return;
    }
    let current: HTTPReceiver;
    try {
      current = (await ready()).receiver;
    } catch (error) {
      deps.log('start_failed', { error: (error as Error).message });
      // 503, not 200: Slack retries the event later instead of it being dropped.
      res.status(503).json({ error: { message: 'the Slack function could not start; see its logs', type: 'unavailable' } });
      return;
    }
    try {
      current.requestListener(req, res);
    } catch (error) {
      if (!(error instanceof HTTPReceiverDeferredRequestError)) throw error;
      res.status(404).json({ error: { message: `no Slack endpoint at ${req.method} ${req.path}; use POST / or POST /slack/events`, type: 'not_found' } });
    }
  };

  return {
    handle,
    close: async () => {
      await deps.store.close();
      await deps.feedback?.store.close();
      await deps.close?.();
    },
  };
}
