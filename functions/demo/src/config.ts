/** Everything the demo function reads from its environment, checked at start-up; the only reader of `process.env`. */
import { envReader, readSharedConfig, type Env, type SharedConfig } from '@mimicbot/functions-shared';

export interface DemoConfig {
  shared: SharedConfig;
  /** ALLOWED_ORIGINS: comma-separated origins (or `*`) whose pages may call the function; its own page always may. */
  allowedOrigins: string[];
  /** RATE_LIMIT_PER_MINUTE (default 10): generations per client per minute. */
  rateLimitPerMinute: number;
  /** PROMPT_MAX_CHARS (default 280): longest prompt, in characters. */
  promptMaxChars: number;
  /** MAX_ATTEMPTS (default 3): requests to the model (draws) before a reply, streamed or not, says nothing passed. */
  maxAttempts: number;
  /**
   * TRUSTED_PROXY_HOPS: how many proxies in front of the function each append the address they saw to
   * X-Forwarded-For; the client is the entry that many from the end. Default 1 on Cloud Run (K_SERVICE is
   * set there, and its front end appends exactly one entry), 0 elsewhere: with nothing known to append,
   * every entry may be forged, and only the socket's address can be trusted.
   */
  trustedProxyHops: number;
}

export function parseConfig(env: Env = process.env): DemoConfig {
  const read = envReader(env);
  return read.done({
    shared: readSharedConfig(read),
    allowedOrigins: read.list('ALLOWED_ORIGINS') ?? [],
    rateLimitPerMinute: read.number('RATE_LIMIT_PER_MINUTE', 10, { min: 1, max: 10_000, integer: true }),
    promptMaxChars: read.number('PROMPT_MAX_CHARS', 280, { min: 1, max: 4_000, integer: true }),
    maxAttempts: read.number('MAX_ATTEMPTS', 3, { min: 1, max: 10, integer: true }),
    trustedProxyHops: read.number('TRUSTED_PROXY_HOPS', read.string('K_SERVICE') ? 1 : 0, { min: 0, max: 10, integer: true }),
  });
}
