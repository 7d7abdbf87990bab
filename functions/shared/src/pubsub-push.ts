/**
 * What a Pub/Sub push to a worker endpoint carries, read and checked, and the rules every adapter's worker
 * shares: who may push (an OIDC token for the worker's URL, signed as the subscription's service account;
 * none only with the emulator, which sends none) and when a delivery is the last useful one.
 */
import { checkIdToken, type IdTokenVerifier } from './google-id-token.js';

export type WorkerAuth = { kind: 'none' } | { kind: 'oidc'; verifier: IdTokenVerifier; serviceAccount: string };

/** What a Pub/Sub push carries that a worker reads. */
export interface PushDelivery {
  data: unknown;
  messageId: string;
  publishTime: string;
  /** Set by Pub/Sub when the subscription has a dead-letter policy (the emulator leaves it out). */
  deliveryAttempt?: number;
}

export interface DeliveryRules {
  /** The subscription's max_delivery_attempts: the delivery with this attempt number is the last. */
  maxDeliveryAttempts: number;
  /** After this long since publishing, a delivery is the last. */
  retryWindowMs: number;
}

export class PushBodyError extends Error {
  readonly code: string = 'push_body_invalid';
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

/** Final: Pub/Sub will not bring it again usefully (its last attempt, or older than the retry window). */
export function isFinalDelivery(push: PushDelivery, rules: DeliveryRules, now: number): boolean {
  if (push.deliveryAttempt !== undefined && push.deliveryAttempt >= rules.maxDeliveryAttempts) return true;
  return now - Date.parse(push.publishTime) >= rules.retryWindowMs;
}

/** Whether a push may be taken; the reason when not (for the log and the 401's body). */
export async function checkPushAuth(authorization: string | string[] | undefined, auth: WorkerAuth): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (auth.kind === 'none') return { ok: true };
  return checkIdToken(authorization, { verifier: auth.verifier, serviceAccount: auth.serviceAccount, who: 'Pub/Sub push' });
}
