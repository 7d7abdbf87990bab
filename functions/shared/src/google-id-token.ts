/**
 * Checking a caller that proves who it is with a Google-signed OIDC ID token (`Authorization: Bearer <jwt>`):
 * Cloud Scheduler calling the X function, Pub/Sub pushing to the Slack worker. The token must be for our
 * URL (its audience) and from the one service account we expect.
 */
import type { OAuth2Client } from 'google-auth-library';

/** Checks an OIDC ID token; resolves with the verified claims or rejects. Injected so tests need no Google. */
export type IdTokenVerifier = (idToken: string) => Promise<{ email?: string; emailVerified?: boolean }>;

/**
 * The real verifier: google-auth-library checks the signature against Google's published certificates,
 * the expiry, the issuer and that the audience is `audience`. `client` is injectable so a test can point
 * its certificate URL at a local fake; the library is loaded on first use.
 */
export function googleIdTokenVerifier(audience: string, client?: OAuth2Client): IdTokenVerifier {
  let verifying: Promise<OAuth2Client> | undefined;
  return async (idToken) => {
    verifying ??= client ? Promise.resolve(client) : import('google-auth-library').then(({ OAuth2Client: Client }) => new Client());
    const ticket = await (await verifying).verifyIdToken({ idToken, audience });
    const payload = ticket.getPayload();
    return { email: payload?.email, emailVerified: payload?.email_verified };
  };
}

export type IdTokenCheck = { ok: true } | { ok: false; reason: string };

/** The token in an `Authorization: Bearer ...` header, if there is one. */
export function bearerToken(authorization: string | string[] | undefined): string | undefined {
  return typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
}

/** `who` names the expected caller in the refusal ("Cloud Scheduler", "Pub/Sub"). */
export async function checkIdToken(
  authorization: string | string[] | undefined,
  expected: { verifier: IdTokenVerifier; serviceAccount: string; who: string },
): Promise<IdTokenCheck> {
  const token = bearerToken(authorization);
  if (!token) return { ok: false, reason: `missing ${expected.who} ID token (Authorization: Bearer)` };
  let claims: Awaited<ReturnType<IdTokenVerifier>>;
  try {
    claims = await expected.verifier(token);
  } catch (error) {
    // The library's message says what failed (expired, wrong audience, bad signature); it holds no secret.
    return { ok: false, reason: `ID token refused: ${(error as Error).message.split('\n')[0]}` };
  }
  if (claims.email !== expected.serviceAccount || claims.emailVerified !== true) {
    return { ok: false, reason: `ID token is not from the ${expected.who} service account` };
  }
  return { ok: true };
}
