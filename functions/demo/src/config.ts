/** Everything the demo function reads from its environment, checked at start-up; the only reader of `process.env`. */
import { envReader, readFeedbackConfig, readSharedConfig, type Env, type EnvReader, type FeedbackConfig, type SharedConfig } from '@mimicbot/functions-shared';

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
  /**
   * MODEL_NAMES: one or two comma-separated model ids the server serves; with two, the page shows both
   * personas' replies to one prompt side by side. Unset: MODEL_NAME alone, or the server's own model.
   */
  modelNames: string[];
  /** FEEDBACK_PER_MINUTE (default 30): 👍/👎 per client per minute. */
  feedbackPerMinute: number;
  /**
   * How long shown replies and their ratings are kept (FEEDBACK_REPLY_DAYS, FEEDBACK_RATED_DAYS) and the key
   * voter ids are hashed under (FEEDBACK_VOTER_KEY; the demo holds no other secret to derive one from, and
   * its voter ids are random per-browser ids, so unset hashes them unkeyed).
   */
  feedback: FeedbackConfig;
  /** SUGGESTED_PROMPTS: the maker's own prompts to suggest, separated by `|` (prompts may hold commas). */
  suggestedPrompts: string[];
  /** SUGGEST_MIN_VOTERS (default 3): distinct 👍 a visitor's prompt needs (and more 👍 than 👎) to be suggested to others. */
  suggestMinVoters: number;
}

/** Two columns fit the page; a third would not (BOT Baby's layout shows two). */
export const MAX_PERSONAS = 2;

export function parseConfig(env: Env = process.env): DemoConfig {
  const read = envReader(env);
  const shared = readSharedConfig(read);
  return read.done({
    shared,
    modelNames: readModelNames(read, shared.modelName),
    allowedOrigins: read.list('ALLOWED_ORIGINS') ?? [],
    rateLimitPerMinute: read.number('RATE_LIMIT_PER_MINUTE', 10, { min: 1, max: 10_000, integer: true }),
    promptMaxChars: read.number('PROMPT_MAX_CHARS', 280, { min: 1, max: 4_000, integer: true }),
    maxAttempts: read.number('MAX_ATTEMPTS', 3, { min: 1, max: 10, integer: true }),
    trustedProxyHops: read.number('TRUSTED_PROXY_HOPS', read.string('K_SERVICE') ? 1 : 0, { min: 0, max: 10, integer: true }),
    feedbackPerMinute: read.number('FEEDBACK_PER_MINUTE', 30, { min: 1, max: 10_000, integer: true }),
    feedback: readFeedbackConfig(read),
    suggestedPrompts: (read.string('SUGGESTED_PROMPTS') ?? '').split('|').map((p) => p.trim()).filter((p) => p !== ''),
    suggestMinVoters: read.number('SUGGEST_MIN_VOTERS', 3, { min: 1, max: 1_000_000, integer: true }),
  });
}

function readModelNames(read: EnvReader, modelName: string | undefined): string[] {
  const names = read.list('MODEL_NAMES');
  if (names === undefined) return modelName ? [modelName] : [];
  if (modelName !== undefined) read.problem('MODEL_NAMES', 'is set and so is MODEL_NAME; unset one of them (MODEL_NAMES=a,b shows two personas)');
  if (names.length === 0 || names.length > MAX_PERSONAS) read.problem('MODEL_NAMES', `must name 1 or ${MAX_PERSONAS} models, got ${names.length}`);
  if (new Set(names).size !== names.length) read.problem('MODEL_NAMES', `names a model twice: ${names.join(', ')}`);
  return names.slice(0, MAX_PERSONAS);
}
