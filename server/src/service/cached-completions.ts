import { cacheKey, isRepeatable, samplingKey, type CacheOutcome, type CompletionCache } from './completion-cache.js';
import type { TextLogprobs } from '../text/logprobs-recorder.js';
import { runCompletions, type CompletionChoice, type CompletionJob, type CompletionOutcome, type ServiceDeps } from './completions.js';
import { runGpt2CloudRun, type Gpt2CloudRunJob, type Gpt2CloudRunOutcome } from './gpt2-cloud-run.js';

/** The cache the service shares across models, with the model a request runs on. */
export interface CacheDeps {
  cache: CompletionCache<object>;
  modelId: string;
}

/**
 * A stored answer: the outcome, and how each choice's text came out in pieces (characters and
 * log-probability entries per `onText` call), so a streamed hit is cut where the miss's stream was.
 */
interface StoredCompletion {
  outcome: CompletionOutcome;
  /** By choice index: [characters, logprob entries] per piece. */
  pieces: [number, number][][];
}

/**
 * `runCompletions` through the cache. A hit never reaches the engine: it replays each stored choice through
 * `onText` in the pieces the model produced them in (with their log-probabilities) and `onFinish`, choice
 * after choice, so a streamed hit reads like a streamed miss. Streamed or not, a request has the same key.
 */
export async function runCachedCompletions(deps: ServiceDeps & CacheDeps, job: CompletionJob): Promise<{ outcome: CompletionOutcome; cache: CacheOutcome }> {
  if (!deps.cache.enabled || !isRepeatable(job.sampling)) return { outcome: await runCompletions(deps, job), cache: 'bypass' };
  const key = cacheKey('completions', deps.modelId, [
    job.prompts,
    job.n,
    job.maxNewTokens,
    job.pastContext,
    ...samplingKey(job.sampling),
    job.stop,
    job.logprobs,
    job.echo === true,
  ]);
  const stored = deps.cache.get(key) as StoredCompletion | undefined;
  if (stored) {
    job.signal?.throwIfAborted();
    for (const choice of stored.outcome.choices) replayChoice(choice, stored.pieces[choice.index] ?? [], job);
    return { outcome: stored.outcome, cache: 'hit' };
  }
  const pieces: [number, number][][] = [];
  const outcome = await runCompletions(deps, {
    ...job,
    onText: (index, delta, logprobs) => {
      (pieces[index] ??= []).push([delta.length, logprobs?.tokens.length ?? 0]);
      job.onText?.(index, delta, logprobs);
    },
  });
  deps.cache.set(key, { outcome, pieces } satisfies StoredCompletion);
  return { outcome, cache: 'miss' };
}

function replayChoice(choice: CompletionChoice, pieces: readonly [number, number][], job: Pick<CompletionJob, 'onText' | 'onFinish'>): void {
  let chars = 0;
  let entries = 0;
  for (const [length, count] of pieces) {
    const delta = choice.text.slice(chars, chars + length);
    const logprobs = choice.logprobs && sliceLogprobs(choice.logprobs, entries, entries + count);
    if (logprobs) job.onText?.(choice.index, delta, logprobs);
    else job.onText?.(choice.index, delta);
    chars += length;
    entries += count;
  }
  job.onFinish?.(choice.index, choice);
}

function sliceLogprobs(logprobs: TextLogprobs, start: number, end: number): TextLogprobs {
  return {
    tokens: logprobs.tokens.slice(start, end),
    tokenLogprobs: logprobs.tokenLogprobs.slice(start, end),
    topLogprobs: logprobs.topLogprobs.slice(start, end),
    textOffset: logprobs.textOffset.slice(start, end),
  };
}

/** `runGpt2CloudRun` through the cache; its answers are whole texts, so a hit just returns them. */
export async function runCachedGpt2CloudRun(deps: ServiceDeps & CacheDeps, job: Gpt2CloudRunJob): Promise<{ outcome: Gpt2CloudRunOutcome; cache: CacheOutcome }> {
  if (!deps.cache.enabled || !isRepeatable(job.sampling)) return { outcome: await runGpt2CloudRun(deps, job), cache: 'bypass' };
  const key = cacheKey('gpt2-cloud-run', deps.modelId, [job.prompt, job.count, job.maxNewTokens, ...samplingKey(job.sampling), job.truncate, job.includePrefix]);
  const stored = deps.cache.get(key) as Gpt2CloudRunOutcome | undefined;
  if (stored) return { outcome: stored, cache: 'hit' };
  const outcome = await runGpt2CloudRun(deps, job);
  deps.cache.set(key, outcome);
  return { outcome, cache: 'miss' };
}
