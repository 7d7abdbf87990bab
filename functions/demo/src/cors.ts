/**
 * Which browser origins may call the function (ALLOWED_ORIGINS), decided as a pure function of the
 * request's Origin and Host. The page's own origin is always allowed: browsers send Origin on same-origin
 * POSTs too.
 */

export type CorsDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false };

export function decideCors(origin: string | undefined, host: string | undefined, allowedOrigins: readonly string[]): CorsDecision {
  // No Origin: not a cross-origin browser request (curl, a server); CORS does not apply.
  if (!origin) return { allowed: true, headers: {} };
  const listed = allowedOrigins.includes('*') || allowedOrigins.includes(origin);
  let sameOrigin = false;
  try {
    sameOrigin = host !== undefined && new URL(origin).host === host;
  } catch {
    // "null" or garbage: not the page's own origin
  }
  if (!listed && !sameOrigin) return { allowed: false };
  return {
    allowed: true,
    headers: {
      'access-control-allow-origin': origin,
      vary: 'Origin',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'content-type, accept',
      'access-control-max-age': '600',
    },
  };
}
