/**
 * Who may make the bot post: Cloud Scheduler, proven by the Google-signed OIDC ID token it sends as
 * `Authorization: Bearer <jwt>`, or a caller that knows TRIGGER_SECRET (header `x-trigger-secret`).
 * Everyone else is refused before any model or X call is made.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { OAuth2Client } from 'google-auth-library';

export const TRIGGER_SECRET_HEADER = 'x-trigger-secret';

/** Checks an OIDC ID token; resolves with the verified claims or rejects. Injected so tests need no Google. */
export type IdTokenVerifier = (idToken: string) => Promise<{ email?: string; emailVerified?: boolean }>;

/**
 * The real verifier: google-auth-library checks the signature against Google's published certificates,
 * the expiry, the issuer and that the audience is `audience`. `client` is injectable so a test can point
 * its certificate URL at a local fake.
 */
export function googleIdTokenVerifier(audience: string, client: OAuth2Client = new OAuth2Client()): IdTokenVerifier {
  return async (idToken) => {
    const ticket = await client.verifyIdToken({ idToken, audience });
    const payload = ticket.getPayload();
    return { email: payload?.email, emailVerified: payload?.email_verified };
  };
}

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
  const authorization = headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
  if (options.verifier && options.serviceAccount && bearer) {
    let claims: Awaited<ReturnType<IdTokenVerifier>>;
    try {
      claims = await options.verifier(bearer);
    } catch (error) {
      // The library's message says what failed (expired, wrong audience, bad signature); it holds no secret.
      return { ok: false, reason: `ID token refused: ${(error as Error).message.split('\n')[0]}` };
    }
    if (claims.email !== options.serviceAccount || claims.emailVerified !== true) {
      return { ok: false, reason: 'ID token is not from the Cloud Scheduler service account' };
    }
    return { ok: true, via: 'oidc' };
  }
  return { ok: false, reason: `missing ${TRIGGER_SECRET_HEADER} header or Cloud Scheduler ID token` };
}
