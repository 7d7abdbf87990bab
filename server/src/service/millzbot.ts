import type { SamplingParams } from '../engine/types.js';
import { isEmptySample, shapeMillzbotSample } from '../text/millzbot-text.js';
import { allOrCancel } from './all-or-cancel.js';
import { generateText } from './generate-text.js';
import { checkFitsContext, encodePrompt } from './prompt.js';
import type { ServiceDeps } from './completions.js';

/** Extra attempts for a sample that comes back empty (gpt-2-simple callers retried by hand; we bound it). */
export const MAX_EMPTY_RETRIES = 2;

export interface MillzbotJob {
  prompt: string;
  count: number;
  maxNewTokens: number;
  sampling: SamplingParams;
  truncate?: string;
  includePrefix: boolean;
  signal?: AbortSignal;
  onFirstToken?: () => void;
}

export interface MillzbotOutcome {
  texts: string[];
  completionTokens: number;
}

/**
 * gpt-2-cloud-run's generation: `count` samples of `prompt`, each stopped at `truncate` and shaped like
 * gpt-2-simple's output. A sample whose generated text is empty is drawn again, at most MAX_EMPTY_RETRIES
 * times (with a seed, attempt a of sample i uses seed + i + a * count, so retries differ yet repeat).
 */
export async function runMillzbot(deps: ServiceDeps, job: MillzbotJob): Promise<MillzbotOutcome> {
  const promptIds = encodePrompt(deps.tokenizer, job.prompt, deps.limits, 'prompt');
  checkFitsContext(promptIds.length, job.maxNewTokens, deps.limits, 'length');
  const shaping = { truncate: job.truncate || undefined, includePrefix: job.includePrefix };
  let completionTokens = 0;
  const sample = async (i: number, signal: AbortSignal): Promise<string> => {
    for (let attempt = 0; ; attempt++) {
      const seed = job.sampling.seed === undefined ? undefined : job.sampling.seed + i + attempt * job.count;
      const result = await generateText(deps, {
        promptIds,
        maxNewTokens: job.maxNewTokens,
        sampling: { ...job.sampling, seed },
        stop: shaping.truncate ? [shaping.truncate] : [],
        signal,
        onFirstToken: attempt === 0 && i === 0 ? job.onFirstToken : undefined,
      });
      completionTokens += result.completionTokens;
      if (!isEmptySample(result.text, shaping) || attempt >= MAX_EMPTY_RETRIES) {
        return shapeMillzbotSample(job.prompt, result.text, shaping);
      }
    }
  };
  // One failed sample (queue full, deadline) cancels its siblings.
  const texts = await allOrCancel(job.signal, (signal) => Array.from({ length: job.count }, (_, i) => sample(i, signal)));
  return { texts, completionTokens };
}
