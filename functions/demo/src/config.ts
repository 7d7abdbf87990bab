/** Everything the demo function reads from its environment, checked at start-up; the only reader of `process.env`. */
import { parseSharedConfig, readList, readNumber, type Env, type SharedConfig } from '@mimicbot/functions-shared';

export interface DemoConfig {
  shared: SharedConfig;
  /** ALLOWED_ORIGINS: comma-separated origins (or `*`) whose pages may call the function; its own page always may. */
  allowedOrigins: string[];
  /** RATE_LIMIT_PER_MINUTE (default 10): generations per client per minute. */
  rateLimitPerMinute: number;
  /** PROMPT_MAX_CHARS (default 280): longest prompt, in characters. */
  promptMaxChars: number;
  /** MAX_ATTEMPTS (default 3): generations tried when the output filter blocks one (non-streaming requests). */
  maxAttempts: number;
}

export function parseConfig(env: Env = process.env): DemoConfig {
  return {
    shared: parseSharedConfig(env),
    allowedOrigins: readList(env, 'ALLOWED_ORIGINS') ?? [],
    rateLimitPerMinute: readNumber(env, 'RATE_LIMIT_PER_MINUTE', 10, { min: 1, max: 10_000, integer: true }),
    promptMaxChars: readNumber(env, 'PROMPT_MAX_CHARS', 280, { min: 1, max: 4_000, integer: true }),
    maxAttempts: readNumber(env, 'MAX_ATTEMPTS', 3, { min: 1, max: 10, integer: true }),
  };
}
