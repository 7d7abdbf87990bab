/**
 * The pure core of the reply loop: drafts in, a judgement out. Each draft goes through the steps in order
 * until one rejects it; the survivors are ranked, the rejections counted by reason. No model, no clock, no I/O.
 */
import { countReason, isRejection, type Draft, type DraftContext, type DraftStep, type ReasonCounts } from './draft.js';

export interface Judgement {
  /** Drafts every step passed, best first. */
  survivors: Draft[];
  rejected: ReasonCounts;
}

/** Orders the survivors, best first. */
export type RankDrafts = (survivors: readonly Draft[]) => Draft[];

/** The order the model returned them in: with one draft per draw there is nothing to choose between. */
export const keepModelOrder: RankDrafts = (survivors) => [...survivors];

export function judgeDrafts(
  drafts: readonly Draft[],
  steps: readonly DraftStep[],
  context: DraftContext,
  rank: RankDrafts = keepModelOrder,
): Judgement {
  const survivors: Draft[] = [];
  const rejected: ReasonCounts = {};
  for (const draft of drafts) {
    const result = passThrough(draft, steps, context);
    if (isRejection(result)) countReason(rejected, result.rejected);
    else survivors.push(result);
  }
  return { survivors: rank(survivors), rejected };
}

function passThrough(draft: Draft, steps: readonly DraftStep[], context: DraftContext) {
  let current = draft;
  for (const step of steps) {
    const result = step(current, context);
    if (isRejection(result)) return result;
    current = result;
  }
  return current;
}
