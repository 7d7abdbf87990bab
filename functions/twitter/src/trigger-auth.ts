/**
 * Who may make the bot post: Cloud Scheduler, proven by the Google-signed OIDC ID token it sends as
 * `Authorization: Bearer <jwt>`, or a caller that knows TRIGGER_SECRET (header `x-trigger-secret`).
 * Everyone else is refused before any model or X call is made.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { bearerToken, checkIdToken, type IdTokenVerifier } from '@mimicbot/functions-shared';

export const TRIGGER_SECRET_HEADER = 'x-trigger-secret';

export interface TriggerAuthOptions {
  secret?: string;
  /** With `serviceAccount`: accept Cloud Scheduler's OIDC token. */
  verifier?: IdTokenVerifier;
  serviceAccount?: string;
}

export type TriggerAuthResult = { ok: true; via: 'secret' | 'oidc' } | { ok: false; reason: string };

/** Compares secrets in constant time: hashing first makes the lengths equal, so the length does not leak. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export async function checkTrigger(
  headers: Record<string, string | string[] | undefined>,
  options: TriggerAuthOptions,
): Promise<TriggerAuthResult> {
  const secretHeader = headers[TRIGGER_SECRET_HEADER];
  if (options.secret && typeof secretHeader === 'string') {
    return sameSecret(secretHeader, options.secret) ? { ok: true, via: 'secret' } : { ok: false, reason: `wrong ${TRIGGER_SECRET_HEADER}` };
  }
  if (options.verifier && options.serviceAccount && bearerToken(headers.authorization)) {
    const check = await checkIdToken(headers.authorization, { verifier: options.verifier, serviceAccount: options.serviceAccount, who: 'Cloud Scheduler' });
    return check.ok ? { ok: true, via: 'oidc' } : check;
  }
  return { ok: false, reason: `missing ${TRIGGER_SECRET_HEADER} header or Cloud Scheduler ID token` };
}
