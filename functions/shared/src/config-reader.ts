/**
 * Reads environment variables for every function's config.ts. A reader collects every problem instead of
 * stopping at the first, so a bad deploy is told everything that is wrong at once: `done(value)` returns the
 * value when all was well and throws one ConfigError listing each variable and what is wrong with it.
 * Until then a bad or missing value reads as a placeholder, which `done` never lets out.
 */
export type Env = Record<string, string | undefined>;

export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((problem) => `${problem.variable}: ${problem.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export type UrlScheme = 'http' | 'https' | 'redis' | 'rediss';

export interface UrlRules {
  /** Schemes accepted (without the colon). */
  schemes: readonly UrlScheme[];
  /** What the value is for, said when it is missing (e.g. "the model server, e.g. http://localhost:8080"). */
  hint?: string;
}

export interface NumberRange {
  min: number;
  max: number;
  integer?: boolean;
}

export interface EnvReader {
  /** A value that may be unset (unset and blank both read as undefined). */
  string(name: string): string | undefined;
  /** A value that must be set; `hint` says where to find it. */
  requiredString(name: string, hint: string): string;
  /** A URL that may be unset; when set it must parse and use one of `rules.schemes`. */
  url(name: string, rules: UrlRules): string | undefined;
  requiredUrl(name: string, rules: UrlRules): string;
  number(name: string, fallback: number, range: NumberRange): number;
  boolean(name: string, fallback: boolean): boolean;
  /** A comma-separated list; empty items dropped. */
  list(name: string): string[] | undefined;
  /** Records a problem found by a check of the caller's own (two variables that must go together, say). */
  problem(name: string, message: string): void;
  /** `value` when every read went well; otherwise a ConfigError naming every problem, in reading order. */
  done<T>(value: T): T;
}

/** `localhost`, a dotted name or address, or anything with a port; then an optional path. */
const LOOKS_LIKE_HOST = /^(localhost|[\w-]+(\.[\w-]+)+|[\w.-]+:\d+)(:\d+)?(\/\S*)?$/;

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

export function envReader(env: Env): EnvReader {
  const problems: ConfigProblem[] = [];
  const problem = (variable: string, message: string) => void problems.push({ variable, message });
  const present = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  function checkUrl(name: string, value: string, rules: UrlRules): string | undefined {
    const schemes = rules.schemes.map((scheme) => `${scheme}://`).join(' or ');
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      // not a URL at all
    }
    // "localhost:8080" parses as a URL whose scheme is "localhost:": a host and port with the scheme left off.
    if (!value.includes('://') && LOOKS_LIKE_HOST.test(value)) {
      const suggestion = `${rules.schemes[0]}://${value}`;
      problem(name, `must be a URL starting with ${schemes}, got ${JSON.stringify(value)} (did you mean ${suggestion}?)`);
      return undefined;
    }
    if (parsed === undefined || !value.includes('://')) {
      problem(name, `is not a URL: ${JSON.stringify(value)}`);
      return undefined;
    }
    if (!rules.schemes.includes(parsed.protocol.slice(0, -1) as UrlScheme)) {
      problem(name, `must be a URL starting with ${schemes}, got ${parsed.protocol}//`);
      return undefined;
    }
    return value;
  }

  return {
    string: present,
    requiredString(name, hint) {
      const value = present(name);
      if (value === undefined) problem(name, `is required (${hint})`);
      return value ?? '';
    },
    url(name, rules) {
      const value = present(name);
      return value === undefined ? undefined : checkUrl(name, value, rules);
    },
    requiredUrl(name, rules) {
      const value = present(name);
      if (value === undefined) {
        const example = `a ${rules.schemes.map((scheme) => `${scheme}://`).join(' or ')} URL`;
        problem(name, `is required (${rules.hint ?? example})`);
        return '';
      }
      return checkUrl(name, value, rules) ?? '';
    },
    number(name, fallback, range) {
      const raw = present(name);
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (!Number.isFinite(value) || value < range.min || value > range.max || (range.integer && !Number.isInteger(value))) {
        const kind = range.integer ? 'an integer' : 'a number';
        problem(name, `must be ${kind} from ${range.min} to ${range.max}, got ${JSON.stringify(raw)}`);
        return fallback;
      }
      return value;
    },
    boolean(name, fallback) {
      const raw = present(name)?.toLowerCase();
      if (raw === undefined) return fallback;
      if (TRUE.has(raw)) return true;
      if (FALSE.has(raw)) return false;
      problem(name, `must be one of 1/0, true/false, yes/no, on/off, got ${JSON.stringify(raw)}`);
      return fallback;
    },
    list(name) {
      const raw = present(name);
      if (raw === undefined) return undefined;
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    },
    problem,
    done(value) {
      if (problems.length > 0) throw new ConfigError([...problems]);
      return value;
    },
  };
}
