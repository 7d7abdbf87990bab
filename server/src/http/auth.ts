import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of a presented secret against the accepted ones (hashing evens the lengths). */
export function secretMatches(presented: string | undefined, accepted: readonly string[]): boolean {
  if (presented === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  const mine = digest(presented);
  let ok = false;
  for (const secret of accepted) ok = timingSafeEqual(mine, digest(secret)) || ok;
  return ok;
}

/** The key from `Authorization: Bearer <key>`, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1].trim();
}
