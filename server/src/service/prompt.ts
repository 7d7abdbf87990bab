import type { PromptEncoder } from '../text/prompt-encoder.js';
import type { TextTokenizer } from '../text/tokenizer.js';
import { FieldError } from './errors.js';

export interface PromptLimits {
  /** MAX_PROMPT_TOKENS */
  maxPromptTokens: number;
  /** The model's n_positions: prompt + new tokens must fit in it. */
  contextLength: number;
}

/**
 * Characters per token a prompt may average before it is refused without being tokenised. English runs
 * at ~4 characters per GPT-2 token and tweets with links lower, so 8 refuses no real prompt that fits
 * MAX_PROMPT_TOKENS, while it bounds the tokenizer's work per prompt: byte-level BPE on one long word
 * costs ~10 µs per character (a 60 KB word: 0.6–0.8 s).
 */
export const MAX_CHARS_PER_PROMPT_TOKEN = 8;

export interface PromptDeps {
  tokenizer: Pick<TextTokenizer, 'bosTokenId' | 'vocabSize'>;
  encoder: PromptEncoder;
}

/**
 * A prompt (text, or token ids as OpenAI allows) to ids that leave room for at least one new token. An
 * empty prompt starts from BOS, as gpt-2-simple starts unprompted samples from `<|endoftext|>`.
 */
export async function encodePrompt(
  deps: PromptDeps,
  prompt: string | readonly number[],
  limits: PromptLimits,
  field = 'prompt',
): Promise<number[]> {
  let ids: number[];
  if (typeof prompt === 'string') {
    const maxChars = limits.maxPromptTokens * MAX_CHARS_PER_PROMPT_TOKEN;
    if (prompt.length > maxChars) {
      throw new FieldError(field, `is ${prompt.length} characters long; the limit is ${maxChars} (${MAX_CHARS_PER_PROMPT_TOKEN} × MAX_PROMPT_TOKENS)`);
    }
    ids = await deps.encoder.encode(prompt);
  } else {
    const { vocabSize } = deps.tokenizer;
    const bad = prompt.find((id) => !Number.isInteger(id) || id < 0 || id >= vocabSize);
    if (bad !== undefined) throw new FieldError(field, `token id ${bad} is outside the vocabulary (0..${vocabSize - 1})`);
    ids = [...prompt];
  }
  if (ids.length === 0) ids = [deps.tokenizer.bosTokenId];
  if (ids.length > limits.maxPromptTokens) {
    throw new FieldError(field, `is ${ids.length} tokens long; the limit is ${limits.maxPromptTokens} (MAX_PROMPT_TOKENS)`);
  }
  if (ids.length >= limits.contextLength) {
    throw new FieldError(field, `is ${ids.length} tokens long and leaves no room for new tokens in the model's context of ${limits.contextLength}`);
  }
  return ids;
}

/**
 * What to do when the new tokens asked for do not fit after the prompt: `clamp` to the room left (as
 * gpt-2-simple does, and for defaults the caller did not choose), or `refuse` with a 400 naming `field`
 * (OpenAI's behaviour for an explicit `max_tokens`).
 */
export type PastContext = 'clamp' | 'refuse';

/** New tokens a sample gets after a `promptTokens`-token prompt (encodePrompt left room for at least one). */
export function newTokenBudget(promptTokens: number, wanted: number, limits: PromptLimits, pastContext: PastContext, field: string): number {
  const room = limits.contextLength - promptTokens;
  if (wanted <= room) return wanted;
  if (pastContext === 'clamp') return room;
  throw new FieldError(
    field,
    `${wanted} new tokens after a ${promptTokens}-token prompt exceed the model's context of ${limits.contextLength} tokens (at most ${room} fit)`,
  );
}
