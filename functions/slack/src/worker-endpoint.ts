/**
 * `POST /slack/worker`: where Pub/Sub pushes the Slack work. In production each push carries a Google OIDC
 * token for this URL, signed as the subscription's service account; it is checked before anything else.
 * The Pub/Sub emulator sends none, so the check is off only when configured so (SLACK_WORKER_AUTH=none,
 * allowed only with the emulator).
 *
 * The answer tells Pub/Sub what to do: 2xx acknowledges (the message is settled), anything else makes it
 * redeliver with backoff. A delivery is `final` when Pub/Sub will not bring it again usefully: its attempt
 * count reached the subscription's dead-letter limit, or the message is older than the retry window.
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import { checkIdToken, type IdTokenVerifier, type Log } from '@mimicbot/functions-shared';
import { slackJobFromPush, SlackJobError } from './slack-job.js';
import { isSettled, type SlackWorker } from './slack-worker.js';

export type WorkerAuth = { kind: 'none' } | { kind: 'oidc'; verifier: IdTokenVerifier; serviceAccount: string };

export interface WorkerEndpointOptions {
  worker: () => Promise<SlackWorker>;
  auth: WorkerAuth;
  /** The subscription's max_delivery_attempts: the delivery with this attempt number is the last. */
  maxDeliveryAttempts: number;
  /** After this long since publishing, a delivery is the last: the user gets the apology rather than a wait. */
  retryWindowMs: number;
  now: () => number;
  log: Log;
}

/** What a Pub/Sub push carries that the worker reads. */
export interface PushDelivery {
  data: unknown;
  messageId: string;
  publishTime: string;
  /** Set by Pub/Sub when the subscription has a dead-letter policy (the emulator leaves it out). */
  deliveryAttempt?: number;
}

export class PushBodyError extends Error {
  readonly code = 'push_body_invalid';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'PushBodyError';
  }
}

export function readPush(body: unknown): PushDelivery {
  if (body === null || typeof body !== 'object') throw new PushBodyError('the body must be a Pub/Sub push: a JSON object with a message', 'body');
  const { message, deliveryAttempt } = body as { message?: unknown; deliveryAttempt?: unknown };
  if (message === null || typeof message !== 'object') throw new PushBodyError('message must be an object', 'message');
  const { data, messageId, publishTime } = message as Record<string, unknown>;
  if (typeof messageId !== 'string' || messageId === '') throw new PushBodyError('message.messageId must be a non-empty string', 'message.messageId');
  if (typeof publishTime !== 'string' || Number.isNaN(Date.parse(publishTime))) throw new PushBodyError('message.publishTime must be an RFC 3339 time', 'message.publishTime');
  if (deliveryAttempt !== undefined && (typeof deliveryAttempt !== 'number' || !Number.isInteger(deliveryAttempt) || deliveryAttempt < 1)) {
    throw new PushBodyError('deliveryAttempt must be a positive integer', 'deliveryAttempt');
  }
  return { data, messageId, publishTime, deliveryAttempt };
}

export function isFinalDelivery(push: PushDelivery, options: Pick<WorkerEndpointOptions, 'maxDeliveryAttempts' | 'retryWindowMs'>, now: number): boolean {
  if (push.deliveryAttempt !== undefined && push.deliveryAttempt >= options.maxDeliveryAttempts) return true;
  return now - Date.parse(push.publishTime) >= options.retryWindowMs;
}

export function createWorkerEndpoint(options: WorkerEndpointOptions) {
  const { log } = options;
  return async function slackWorkerEndpoint(req: Request, res: Response): Promise<void> {
    if (req.method !== 'POST') {
      res.status(405).set('allow', 'POST').json({ error: { message: 'Pub/Sub pushes with POST', field: 'method' } });
      return;
    }
    if (options.auth.kind === 'oidc') {
      const check = await checkIdToken(req.headers.authorization, { verifier: options.auth.verifier, serviceAccount: options.auth.serviceAccount, who: 'Pub/Sub push' });
      if (!check.ok) {
        log('slack_worker_refused', { reason: check.reason });
        res.status(401).json({ error: { message: `not allowed: ${check.reason}`, field: 'authorization' } });
        return;
      }
    }
    let push: PushDelivery;
    let job;
    try {
      push = readPush(req.body);
      job = slackJobFromPush(push.data);
    } catch (error) {
      if (!(error instanceof PushBodyError || error instanceof SlackJobError)) throw error;
      log('slack_worker_bad_push', { field: error.field, error: error.message });
      res.status(400).json({ error: { message: error.message, field: error.field } });
      return;
    }
    const final = isFinalDelivery(push, options, options.now());
    try {
      const outcome = await (await options.worker()).process(job, { final });
      log('slack_worker_outcome', { messageId: push.messageId, deliveryAttempt: push.deliveryAttempt, final, outcome });
      if (isSettled(outcome)) res.status(200).json({ outcome });
      else res.status(503).json({ outcome, error: { message: `not answered yet (${outcome}); Pub/Sub delivers it again`, type: 'retry' } });
    } catch (error) {
      log('slack_worker_failed', { messageId: push.messageId, error: (error as Error).message });
      res.status(503).json({ error: { message: 'the worker failed; Pub/Sub delivers it again (see the logs)', type: 'unavailable' } });
    }
  };
}
