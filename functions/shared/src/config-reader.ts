/**
 * Small, pure readers for environment variables, shared by every function's config.ts. Each throws a
 * ConfigError naming the variable and what a good value looks like, so a bad deploy fails at start-up.
 */
export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

function present(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function readOptionalString(env: Env, name: string): string | undefined {
  return present(env, name);
}

export function readRequiredString(env: Env, name: string, hint: string): string {
  const value = present(env, name);
  if (value === undefined) throw new ConfigError(name, `is required (${hint})`);
  return value;
}

export function readUrl(env: Env, name: string, fallback?: string): string {
  const value = present(env, name) ?? fallback;
  if (value === undefined) throw new ConfigError(name, 'is required (an http or https URL)');
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `is not a URL: ${JSON.stringify(value)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:' && parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(name, `must be an http(s) or redis(s) URL, got ${parsed.protocol}`);
  }
  return value;
}

/** A URL variable that may be left unset (or empty): undefined then, else checked as readUrl does. */
export function readOptionalUrl(env: Env, name: string): string | undefined {
  return present(env, name) === undefined ? undefined : readUrl(env, name);
}

export function readNumber(env: Env, name: string, fallback: number, range: { min: number; max: number; integer?: boolean }): number {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < range.min || value > range.max || (range.integer && !Number.isInteger(value))) {
    const kind = range.integer ? 'an integer' : 'a number';
    throw new ConfigError(name, `must be ${kind} from ${range.min} to ${range.max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw new ConfigError(name, `must be one of 1/0, true/false, yes/no, on/off, got ${JSON.stringify(raw)}`);
}

/** A comma-separated list; empty items dropped. */
export function readList(env: Env, name: string): string[] | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
