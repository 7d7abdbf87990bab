import type { TextTokenizer } from '../text/tokenizer.js';
import { FieldError } from './errors.js';

export interface PromptLimits {
  /** MAX_PROMPT_TOKENS */
  maxPromptTokens: number;
  /** The model's n_positions: prompt + new tokens must fit in it. */
  contextLength: number;
}

/**
 * A prompt (text, or token ids as OpenAI allows) to ids. An empty prompt starts from BOS, as gpt-2-simple
 * starts unprompted samples from `<|endoftext|>`.
 */
export function encodePrompt(
  tokenizer: TextTokenizer,
  prompt: string | readonly number[],
  limits: PromptLimits,
  field = 'prompt',
): number[] {
  let ids: number[];
  if (typeof prompt === 'string') {
    ids = tokenizer.encode(prompt);
  } else {
    const bad = prompt.find((id) => !Number.isInteger(id) || id < 0 || id >= tokenizer.vocabSize);
    if (bad !== undefined) throw new FieldError(field, `token id ${bad} is outside the vocabulary (0..${tokenizer.vocabSize - 1})`);
    ids = [...prompt];
  }
  if (ids.length === 0) ids = [tokenizer.bosTokenId];
  if (ids.length > limits.maxPromptTokens) {
    throw new FieldError(field, `is ${ids.length} tokens long; the limit is ${limits.maxPromptTokens} (MAX_PROMPT_TOKENS)`);
  }
  return ids;
}

/** Prompt plus new tokens must fit the model's context; `field` names the length field on the wire. */
export function checkFitsContext(promptTokens: number, maxNewTokens: number, limits: PromptLimits, field: string): void {
  if (promptTokens + maxNewTokens > limits.contextLength) {
    throw new FieldError(
      field,
      `${maxNewTokens} new tokens after a ${promptTokens}-token prompt exceed the model's context of ${limits.contextLength} tokens`,
    );
  }
}
