import type { SamplingParams } from '../engine/types.js';
import type { TextLogprobs } from '../text/logprobs-recorder.js';
import type { PromptEncoder } from '../text/prompt-encoder.js';
import { allOrCancel } from './all-or-cancel.js';
import { generateText, type TextDeps, type TextGenerationResult } from './generate-text.js';
import { encodePrompt, newTokenBudget, type PastContext, type PromptLimits } from './prompt.js';

export interface CompletionJob {
  prompts: readonly (string | readonly number[])[];
  /** Samples per prompt. */
  n: number;
  maxNewTokens: number;
  /** When a prompt leaves less room than `maxNewTokens`. */
  pastContext: PastContext;
  sampling: SamplingParams;
  stop: readonly string[];
  /** Log-probabilities with this many alternatives per token (0–5); absent: none. */
  logprobs?: number;
  /** Each choice's text starts with its prompt (scored too when `logprobs` is asked). */
  echo?: boolean;
  signal?: AbortSignal;
  /** Choice `index` (prompt * n + sample) produced `delta` (with the log-probabilities of its tokens when asked). */
  onText?: (index: number, delta: string, logprobs?: TextLogprobs) => void;
  onFinish?: (index: number, result: TextGenerationResult) => void;
  onFirstToken?: () => void;
}

export interface CompletionChoice extends TextGenerationResult {
  index: number;
}

export interface CompletionOutcome {
  choices: CompletionChoice[];
  promptTokens: number;
  completionTokens: number;
}

export interface ServiceDeps extends TextDeps {
  encoder: PromptEncoder;
  limits: PromptLimits;
}

/**
 * OpenAI-style completions: every prompt times `n` samples, all submitted at once so the engine batches
 * them. With a seed, sample j uses seed + j so the n samples differ but repeat across calls.
 * If one sample fails (queue full, deadline), the others are cancelled (allOrCancel).
 */
export async function runCompletions(deps: ServiceDeps, job: CompletionJob): Promise<CompletionOutcome> {
  const encoded: number[][] = [];
  for (const [i, prompt] of job.prompts.entries()) {
    encoded.push(await encodePrompt(deps, prompt, deps.limits, job.prompts.length > 1 ? `prompt[${i}]` : 'prompt'));
  }
  const budgets = encoded.map((ids) => newTokenBudget(ids.length, job.maxNewTokens, deps.limits, job.pastContext, 'max_tokens'));

  let firstTokenSeen = false;
  const choices = await allOrCancel(job.signal, (signal) =>
    encoded.flatMap((promptIds, p) =>
      Array.from({ length: job.n }, async (_, j): Promise<CompletionChoice> => {
        const index = p * job.n + j;
        const seed = job.sampling.seed === undefined ? undefined : job.sampling.seed + j;
        const result = await generateText(deps, {
          promptIds,
          maxNewTokens: budgets[p],
          sampling: { ...job.sampling, seed },
          stop: job.stop,
          ...(job.logprobs === undefined ? {} : { logprobs: job.logprobs }),
          ...(job.echo ? { echo: true } : {}),
          signal,
          onText: job.onText && ((delta, logprobs) => job.onText?.(index, delta, logprobs)),
          onFirstToken: () => {
            if (!firstTokenSeen) job.onFirstToken?.();
            firstTokenSeen = true;
          },
        });
        job.onFinish?.(index, result);
        return { index, ...result };
      }),
    ),
  );
  return {
    choices,
    promptTokens: encoded.reduce((sum, ids) => sum + ids.length, 0) * job.n,
    completionTokens: choices.reduce((sum, c) => sum + c.completionTokens, 0),
  };
}
