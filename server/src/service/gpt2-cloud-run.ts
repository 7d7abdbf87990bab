import type { SamplingParams } from '../engine/types.js';
import { isEmptySample, shapeSample } from '../text/gpt2-simple-sample.js';
import { allOrCancel } from './all-or-cancel.js';
import { generateText } from './generate-text.js';
import { encodePrompt, newTokenBudget } from './prompt.js';
import type { ServiceDeps } from './completions.js';

/** Extra attempts for a sample that comes back empty (gpt-2-simple callers retried by hand; we bound it). */
export const MAX_EMPTY_RETRIES = 2;

export interface Gpt2CloudRunJob {
  prompt: string;
  count: number;
  /** Clamped to the room the prompt leaves in the model's context, as gpt-2-simple does. */
  maxNewTokens: number;
  sampling: SamplingParams;
  truncate?: string;
  includePrefix: boolean;
  signal?: AbortSignal;
  onFirstToken?: () => void;
}

export interface Gpt2CloudRunOutcome {
  texts: string[];
  completionTokens: number;
}

/**
 * gpt-2-cloud-run's generation: `count` samples of `prompt`, each stopped at `truncate` and shaped like
 * gpt-2-simple's output. A sample whose generated text is empty is drawn again, at most MAX_EMPTY_RETRIES
 * times (with a seed, attempt a of sample i uses seed + i + a * count, so retries differ yet repeat).
 */
export async function runGpt2CloudRun(deps: ServiceDeps, job: Gpt2CloudRunJob): Promise<Gpt2CloudRunOutcome> {
  const promptIds = await encodePrompt(deps, job.prompt, deps.limits, 'prompt');
  const maxNewTokens = newTokenBudget(promptIds.length, job.maxNewTokens, deps.limits, 'clamp', 'length');
  const shaping = { truncate: job.truncate || undefined, includePrefix: job.includePrefix };
  let completionTokens = 0;
  const sample = async (i: number, signal: AbortSignal): Promise<string> => {
    for (let attempt = 0; ; attempt++) {
      const seed = job.sampling.seed === undefined ? undefined : job.sampling.seed + i + attempt * job.count;
      const result = await generateText(deps, {
        promptIds,
        maxNewTokens,
        sampling: { ...job.sampling, seed },
        stop: shaping.truncate ? [shaping.truncate] : [],
        signal,
        onFirstToken: attempt === 0 && i === 0 ? job.onFirstToken : undefined,
      });
      completionTokens += result.completionTokens;
      if (!isEmptySample(result.text, shaping) || attempt >= MAX_EMPTY_RETRIES) {
        return shapeSample(job.prompt, result.text, shaping);
      }
    }
  };
  // One failed sample (queue full, deadline) cancels its siblings.
  const texts = await allOrCancel(job.signal, (signal) => Array.from({ length: job.count }, (_, i) => sample(i, signal)));
  return { texts, completionTokens };
}
