/**
 * Picking the next token of one sequence: the logits processors its parameters ask for, in Hugging Face's
 * order, then greedy argmax or a draw from the sequence's own seeded generator. Every sequence owns its
 * generator, so the tokens a seeded request gets never depend on what else shares its batch, and the same
 * seed and settings give the same tokens in the server, in `mimicbot sample` and in the trainer's samples.
 */
import { argmax, drawFrom, softmax } from './distribution.js';
import { repetitionPenalty, temperature, topK, topP, type LogitsProcessor } from './logits-processors.js';
import { randomSeed, seededRandom, type Random } from './random.js';

/** How the next token is picked. `temperature: 0` means greedy (argmax); top-k 0 and top-p 1 disable them. */
export interface SamplingParams {
  temperature: number;
  topK: number;
  topP: number;
  /** 1 disables it; > 1 discourages tokens already in the prompt or output (CTRL's rule). */
  repetitionPenalty: number;
  /** Same seed, same prompt, same params => same tokens, whatever else is in the batch. */
  seed?: number;
}

/** Greedy, nothing filtered or penalised: every setting at the value that turns it off. */
export const GREEDY: Readonly<SamplingParams> = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };

/** Picks the next token for one sequence. */
export interface TokenSampler {
  /** `logits` is consumed (rewritten in place); `history` is the prompt plus the tokens generated so far. */
  next(logits: Float32Array, history: readonly number[]): number;
}

/** Without a seed (and without `random`), a fresh random seed: a different draw every time. */
export function createSampler(params: SamplingParams, random: Random = seededRandom(params.seed ?? randomSeed())): TokenSampler {
  checkSamplingParams(params);
  const processors = logitsProcessors(params);
  const greedy = params.temperature === 0;
  return {
    next(logits, history) {
      for (const process of processors) process(logits, history);
      return greedy ? argmax(logits) : drawFrom(softmax(logits), random());
    },
  };
}

/** The processors a request's parameters ask for, in Hugging Face's order. */
function logitsProcessors(params: SamplingParams): LogitsProcessor[] {
  const list: LogitsProcessor[] = [];
  if (params.repetitionPenalty !== 1) list.push(repetitionPenalty(params.repetitionPenalty));
  if (params.temperature > 0) {
    if (params.temperature !== 1) list.push(temperature(params.temperature));
    if (params.topK > 0) list.push(topK(params.topK));
    if (params.topP < 1) list.push(topP(params.topP));
  }
  return list;
}

export class InvalidSamplingParamsError extends Error {
  readonly code = 'invalid_sampling_params';
  constructor(
    readonly field: keyof SamplingParams,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidSamplingParamsError';
  }
}

/** The sampler's own guard; the HTTP layer and the CLI validate earlier and name their own field or flag. */
export function checkSamplingParams(p: SamplingParams): void {
  if (!(p.temperature >= 0) || !Number.isFinite(p.temperature)) throw new InvalidSamplingParamsError('temperature', 'must be a finite number >= 0');
  if (!Number.isInteger(p.topK) || p.topK < 0) throw new InvalidSamplingParamsError('topK', 'must be an integer >= 0');
  if (!(p.topP > 0 && p.topP <= 1)) throw new InvalidSamplingParamsError('topP', 'must be in (0, 1]');
  if (!(p.repetitionPenalty > 0) || !Number.isFinite(p.repetitionPenalty)) throw new InvalidSamplingParamsError('repetitionPenalty', 'must be a finite number > 0');
  if (p.seed !== undefined && !Number.isFinite(p.seed)) throw new InvalidSamplingParamsError('seed', 'must be a finite number');
}
