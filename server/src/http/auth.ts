import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { unauthorized } from './errors.js';

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

/**
 * The server's one notion of a caller's secret: REQUEST_TOKEN and every API_KEYS entry are accepted alike,
 * on every route except the health checks. None set: the server is open.
 */
export class CallerAuth {
  readonly secrets: readonly string[];

  constructor(config: { requestToken?: string; apiKeys: readonly string[] }) {
    this.secrets = [...config.apiKeys, ...(config.requestToken === undefined ? [] : [config.requestToken])];
  }

  get required(): boolean {
    return this.secrets.length > 0;
  }

  /** True when auth is off or any presented secret is accepted (each is compared in constant time). */
  accepts(...presented: (string | undefined)[]): boolean {
    if (!this.required) return true;
    let ok = false;
    for (const secret of presented) ok = secretMatches(secret, this.secrets) || ok;
    return ok;
  }
}

/** Where a request may carry its secret in a body or query field instead of the header (gpt-2-cloud-run's `token`). */
export interface SecretFieldRoute {
  path: string;
  methods: readonly string[];
}

/**
 * Refuses requests without an accepted `Authorization: Bearer` secret, except on `openPaths` and on routes
 * that take the secret as a field: those check it themselves once they have read the field.
 */
export function requireSecret(auth: CallerAuth, openPaths: ReadonlySet<string>, fieldRoutes: readonly SecretFieldRoute[]): MiddlewareHandler {
  return async function requireSecret(c, next) {
    const { path, method } = c.req;
    const checkedByRoute = fieldRoutes.some((route) => route.path === path && route.methods.includes(method));
    if (!auth.required || openPaths.has(path) || checkedByRoute) return next();
    if (!auth.accepts(bearerToken(c.req.header('authorization')))) {
      throw unauthorized('authorization', 'Authorization: missing or wrong Bearer secret (the server has REQUEST_TOKEN or API_KEYS set)');
    }
    await next();
  };
}
