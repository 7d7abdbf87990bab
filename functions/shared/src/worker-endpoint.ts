/**
 * A worker endpoint (`POST /<platform>/worker`): where Pub/Sub pushes an adapter's queued work. In
 * production each push carries a Google OIDC token for this URL, signed as the subscription's service
 * account; it is checked before anything else (pubsub-push.ts). The adapter parses its job and does it.
 *
 * The answer tells Pub/Sub what to do: 2xx acknowledges (the work is settled), anything else makes it
 * redeliver with backoff. A delivery is `final` when Pub/Sub will not bring it again usefully.
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import type { Log } from './json-log.js';
import { checkPushAuth, isFinalDelivery, PushBodyError, readPush, type DeliveryRules, type PushDelivery, type WorkerAuth } from './pubsub-push.js';

/**
 * What one delivery of a queued reply came to; an adapter may add its own settled outcomes (Discord's
 * `expired`). Only `retry` and `in_progress` ask Pub/Sub for another delivery: the rest settle it.
 */
export type QueuedReplyOutcome =
  /** The reply (or the one apology) is out. */
  | 'posted'
  /** Answered before, by this or another delivery. */
  | 'answered'
  /** Another delivery holds it right now. */
  | 'in_progress'
  /** A delivery died while posting, or a post failed without saying whether the platform took it: not posted again. */
  | 'outcome_unknown'
  /** Not answered yet (the model is down, the platform failed the post, the lease was lost): deliver it again. */
  | 'retry'
  /** The platform refused the post for good (channel gone, bot removed, token unknown). */
  | 'gave_up';

/** Outcomes that end a delivery (acknowledged); the others ask Pub/Sub for another one. */
export function isSettled(outcome: string): boolean {
  return outcome !== 'retry' && outcome !== 'in_progress';
}

export interface WorkerEndpointOptions<Job, Outcome extends string> extends DeliveryRules {
  /** The platform, as log events begin (`slack_worker_outcome`). */
  name: string;
  auth: WorkerAuth;
  /** The job in a push's base64 `data`; throws a PushBodyError (or a subclass) naming the bad field. */
  parseJob(data: unknown): Job;
  process(job: Job, delivery: { final: boolean }): Promise<Outcome>;
  now: () => number;
  log: Log;
}

export function createWorkerEndpoint<Job, Outcome extends string>(options: WorkerEndpointOptions<Job, Outcome>) {
  const { log, name } = options;
  return async function workerEndpoint(req: Request, res: Response): Promise<void> {
    if (req.method !== 'POST') {
      res.status(405).set('allow', 'POST').json({ error: { message: 'Pub/Sub pushes with POST', field: 'method' } });
      return;
    }
    const check = await checkPushAuth(req.headers.authorization, options.auth);
    if (!check.ok) {
      log(`${name}_worker_refused`, { reason: check.reason });
      res.status(401).json({ error: { message: `not allowed: ${check.reason}`, field: 'authorization' } });
      return;
    }
    let push: PushDelivery;
    let job: Job;
    try {
      push = readPush(req.body);
      job = options.parseJob(push.data);
    } catch (error) {
      if (!(error instanceof PushBodyError)) throw error;
      log(`${name}_worker_bad_push`, { field: error.field, error: error.message });
      res.status(400).json({ error: { message: error.message, field: error.field } });
      return;
    }
    const final = isFinalDelivery(push, options, options.now());
    try {
      const outcome = await options.process(job, { final });
      log(`${name}_worker_outcome`, { messageId: push.messageId, deliveryAttempt: push.deliveryAttempt, final, outcome });
      if (isSettled(outcome)) res.status(200).json({ outcome });
      else res.status(503).json({ outcome, error: { message: `not answered yet (${outcome}); Pub/Sub delivers it again`, type: 'retry' } });
    } catch (error) {
      log(`${name}_worker_failed`, { messageId: push.messageId, error: (error as Error).message });
      res.status(503).json({ error: { message: 'the worker failed; Pub/Sub delivers it again (see the logs)', type: 'unavailable' } });
    }
  };
}
