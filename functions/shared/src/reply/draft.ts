/**
 * A draft is one candidate reply the model proposed, on its way through the steps that judge it. A step is
 * a small pure function: it passes the draft on (its text possibly reshaped) or rejects it with a reason.
 * Reasons are short fixed words ('empty', 'filtered', 'duplicate', ...) so they can be counted and logged;
 * a rejected draft's text is never logged at info level.
 */
import type { TokenLogprobs } from '../model-client.js';

export interface Draft {
  /** The text as the steps so far have left it: what would be shown or posted. */
  text: string;
  /**
   * The model's own words as the steps so far have kept them, without anything a surface put around them
   * (Slack's prompt). Steps that cut or clean the continuation change both this and `text`
   * (see `reshape`); steps that present it change `text` only.
   */
  continuation: string;
  /** What the model generated, untouched. */
  raw: string;
  /** 'stop' (end of text or a stop sequence), 'length' (it hit max tokens), or what the server said. */
  finishReason: string | null;
  /** The sampled tokens' log-probabilities over `raw`, when the server returned them. */
  logprobs?: TokenLogprobs;
  /** Which draw (1 for the first request) and which of its choices (0-based): logged in place of the text. */
  draw: number;
  choice: number;
  /**
   * The seed that draws `raw` again: the same prompt, model and settings with `n` 1 and this seed give the
   * same text (the server's choice j of a request seeded s is seeded s + j; docs/contracts.md).
   */
  seed?: number;
  /** The model that wrote it, when the server said. */
  model?: string;
}

/** A draft fresh from the model: nothing kept or cut yet. */
export function newDraft(raw: string, fields: Pick<Draft, 'finishReason' | 'draw' | 'choice'> & Partial<Pick<Draft, 'logprobs' | 'seed' | 'model'>>): Draft {
  return { text: raw, continuation: raw, raw, ...fields };
}

/** The draft with its continuation (and so its text) replaced: for steps that clean or cut the model's words. */
export function reshape(draft: Draft, continuation: string): Draft {
  return { ...draft, text: continuation, continuation };
}

/** What a step may know besides the draft. */
export interface DraftContext {
  /** The prompt the model continued. */
  prompt: string;
}

export interface Rejection {
  rejected: string;
}

export type StepResult = Draft | Rejection;

export type DraftStep = (draft: Draft, context: DraftContext) => StepResult;

export function reject(reason: string): Rejection {
  return { rejected: reason };
}

export function isRejection(result: StepResult): result is Rejection {
  return 'rejected' in result;
}

/** How many drafts were turned down, by reason. */
export type ReasonCounts = Record<string, number>;

export function countReason(counts: ReasonCounts, reason: string): void {
  counts[reason] = (counts[reason] ?? 0) + 1;
}

export function mergeReasons(into: ReasonCounts, from: ReasonCounts): void {
  for (const [reason, count] of Object.entries(from)) into[reason] = (into[reason] ?? 0) + count;
}
