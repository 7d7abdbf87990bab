import { MAX_TOP_LOGPROBS } from '../engine/token-logprobs.js';
import type { CompletionJob } from '../service/completions.js';
import type { HttpLimits } from './deps.js';
import { invalidField } from './errors.js';
import { Fields, readSharedSampling } from './fields.js';

export interface ParsedCompletionRequest {
  job: Omit<CompletionJob, 'signal' | 'onText' | 'onFinish' | 'onFirstToken'>;
  stream: boolean;
  includeUsage: boolean;
  /** The model asked for; undefined: the server's default. */
  model?: string;
}

/** OpenAI allows up to 4 stop sequences. */
const MAX_STOP_SEQUENCES = 4;

/**
 * `POST /v1/completions` body to a completion job. OpenAI's defaults: max_tokens 16 (fewer when the
 * prompt leaves less room), temperature 1,
 * top_p 1, n 1. Extensions: `top_k`, `repetition_penalty`. Options we do not implement are refused by
 * name rather than ignored. `logprobs: k` (0–5) and `echo` as OpenAI's legacy completions define them;
 * `max_tokens: 0` only with `echo` (scoring a text).
 */
export function parseCompletionRequest(body: Record<string, unknown>, limits: HttpLimits): ParsedCompletionRequest {
  const fields = new Fields(body);
  const model = fields.optionalString('model');
  const prompts = readPrompts(fields.raw('prompt'));
  const echo = fields.boolean('echo', false);
  // 0 new tokens only makes sense when the prompt comes back: that is how a text is scored.
  const maxTokens = fields.optionalNumber('max_tokens', { min: echo ? 0 : 1, max: limits.maxNewTokens, integer: true });
  const n = fields.number('n', 1, { min: 1, max: limits.maxCount, integer: true });
  if (prompts.length * n > limits.maxCount) {
    throw invalidField('n', `${prompts.length} prompts x n = ${prompts.length * n} samples; the limit is ${limits.maxCount} (MAX_COUNT)`);
  }
  let temperature = fields.number('temperature', 1, { min: 0, max: 2 });
  const topP = fields.number('top_p', 1, { min: 0, max: 1 });
  // A nucleus of probability mass 0 holds only the most likely token: that is greedy.
  if (topP === 0) temperature = 0;
  for (const name of ['presence_penalty', 'frequency_penalty']) {
    if ((fields.optionalNumber(name, { min: -2, max: 2 }) ?? 0) !== 0) throw invalidField(name, 'is not supported; use repetition_penalty');
  }
  // OpenAI's legacy `logprobs` is a count of alternatives; null means none.
  const logprobs = fields.optionalNumber('logprobs', { min: 0, max: MAX_TOP_LOGPROBS, integer: true });
  if (fields.has('suffix')) throw invalidField('suffix', 'is not supported');
  if (fields.number('best_of', n, { min: 1, max: limits.maxCount, integer: true }) !== n) throw invalidField('best_of', 'is not supported');
  const logitBias = fields.raw('logit_bias');
  if (logitBias !== undefined && (typeof logitBias !== 'object' || Object.keys(logitBias as object).length > 0)) {
    throw invalidField('logit_bias', 'is not supported');
  }
  const streamOptions = fields.raw('stream_options');
  if (streamOptions !== undefined && (typeof streamOptions !== 'object' || Array.isArray(streamOptions))) {
    throw invalidField('stream_options', 'must be an object');
  }
  return {
    job: {
      prompts,
      n,
      maxNewTokens: maxTokens ?? Math.min(16, limits.maxNewTokens),
      // OpenAI refuses a max_tokens the prompt leaves no room for; its default is ours to fit.
      pastContext: maxTokens === undefined ? 'clamp' : 'refuse',
      sampling: {
        temperature,
        topP: topP === 0 ? 1 : topP,
        ...readSharedSampling(fields),
      },
      stop: fields.stringList('stop', MAX_STOP_SEQUENCES),
      ...(logprobs === undefined ? {} : { logprobs }),
      ...(echo ? { echo } : {}),
    },
    stream: fields.boolean('stream', false),
    includeUsage: streamOptions === undefined ? false : new Fields(streamOptions as Record<string, unknown>).boolean('include_usage', false),
    ...(model === undefined ? {} : { model }),
  };
}

/** OpenAI's `prompt`: a string, an array of strings, an array of token ids, or an array of those. */
function readPrompts(value: unknown): (string | number[])[] {
  if (value === undefined || value === null) return [''];
  if (typeof value === 'string') return [value];
  const isIds = (v: unknown): v is number[] => Array.isArray(v) && v.every((id) => Number.isInteger(id));
  if (Array.isArray(value) && value.length > 0) {
    if (value.every((item) => typeof item === 'string')) return value as string[];
    if (isIds(value)) return [value];
    if (value.every(isIds)) return value as number[][];
  }
  throw invalidField('prompt', 'must be a string, a non-empty array of strings, an array of token ids, or an array of those');
}
