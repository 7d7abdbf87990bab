/**
 * The one reply loop every surface uses: ask the model for `draftsPerDraw` drafts in one batched request,
 * judge them (judge-drafts.ts: the quality gate's steps, then the ranking), offer the best to the surface's
 * `deliver`, and draw again while nothing passed, up to `maxDraws` requests. The
 * outcome is the chosen text, or an honest "nothing passed" with the count of each reason, which the
 * surface logs and answers in its own way (an apology, a skipped slot).
 *
 * `deliver` is how a surface plugs in what only its platform can judge: X refuses a duplicate post, so the
 * X adapter answers `{ refused: 'duplicate' }` and the loop offers the next draft; whatever `deliver`
 * returns otherwise ends the loop (a posted tweet, or a rate limit the adapter decided to stop on).
 * Model errors are not caught here: each surface maps them to its own answer.
 *
 * Every draw is seeded (a fresh random seed each, unless `seed` says otherwise), so the chosen draft can be
 * drawn again: its `seed`, with the outcome's `settings` and the draft's `model`, is what a surface keeps
 * with a reply for feedback (ServedReply).
 */
import { randomInt } from 'node:crypto';
import type { GenerationSettings } from '../config.js';
import type { CallOptions, ModelClient } from '../model-client.js';
import { countReason, mergeReasons, newDraft, type Draft, type DraftStep, type ReasonCounts } from './draft.js';
import { judgeDrafts, keepModelOrder, type RankDrafts } from './judge-drafts.js';

export type Delivery<T> = { delivered: T } | { refused: string };

export type ReplyOutcome<T = undefined> =
  | { status: 'chosen'; text: string; draft: Draft; settings: GenerationSettings; value: T; draws: number; drafts: number; rejected: ReasonCounts }
  | { status: 'nothing_passed'; draws: number; drafts: number; rejected: ReasonCounts };

export type ChosenOutcome<T = undefined> = Extract<ReplyOutcome<T>, { status: 'chosen' }>;

/** What made a chosen draft: with its prompt, enough to draw it again (a surface keeps it in a ServedReply). */
export interface DraftSource {
  /** The model that wrote it, when the server said. */
  model?: string;
  /** Absent only when the model client was asked without one (never by this loop). */
  seed?: number;
  settings: GenerationSettings;
  /** The model's own words in the reply, before any surface presented or escaped them (Draft.continuation). */
  continuation: string;
}

export function draftSource(outcome: ChosenOutcome<unknown>): DraftSource {
  return {
    ...(outcome.draft.model !== undefined ? { model: outcome.draft.model } : {}),
    ...(outcome.draft.seed !== undefined ? { seed: outcome.draft.seed } : {}),
    settings: { ...outcome.settings },
    continuation: outcome.draft.continuation,
  };
}

export interface ReplyOptions<T> extends CallOptions {
  /** Hands the chosen draft to the platform; without it the first survivor is the answer. */
  deliver?: (draft: Draft) => Promise<Delivery<T>>;
}

export interface ReplyLoop {
  reply<T = undefined>(prompt: string, options?: ReplyOptions<T>): Promise<ReplyOutcome<T>>;
}

export interface ReplyLoopOptions {
  model: Pick<ModelClient, 'complete'>;
  generation: GenerationSettings;
  /** In order; see replySteps. */
  steps: readonly DraftStep[];
  /** Requests to the model before the loop gives up. */
  maxDraws: number;
  /** Drafts asked for in each request (the `n` of one batched completion); with more than one, their log-probabilities too. */
  draftsPerDraw?: number;
  /** Orders each draw's survivors, best first (the gate's rankByLikelihood); model order when absent. */
  rank?: RankDrafts;
  /** The seed of each draw (its choice j is seeded seed + j); a random one in [0, 2^31) when absent. */
  seed?: () => number;
}

/** Seeds below 2^31 leave room for the server's seed + j and suit any client's 32-bit integers. */
const randomSeed = () => randomInt(0, 2 ** 31);

export function createReplyLoop(options: ReplyLoopOptions): ReplyLoop {
  const draftsPerDraw = options.draftsPerDraw ?? 1;
  const rank = options.rank ?? keepModelOrder;
  const nextSeed = options.seed ?? randomSeed;

  async function reply<T = undefined>(prompt: string, replyOptions: ReplyOptions<T> = {}): Promise<ReplyOutcome<T>> {
    const rejected: ReasonCounts = {};
    // A text the surface refused (X: a duplicate) is refused again without asking it: the same draft can
    // come up more than once in a draw, and asking costs a request against the platform's rate limit.
    const refused = new Map<string, string>();
    let judged = 0;
    for (let draw = 1; draw <= options.maxDraws; draw++) {
      const seed = nextSeed();
      const completion = await options.model.complete(
        { prompt, ...options.generation, seed, ...(draftsPerDraw > 1 ? { n: draftsPerDraw, logprobs: 0 } : {}) },
        { signal: replyOptions.signal },
      );
      const drafts = completion.choices.map((choice, index) =>
        newDraft(choice.text, {
          finishReason: choice.finishReason,
          draw,
          choice: index,
          seed: seed + index,
          ...(completion.model !== undefined ? { model: completion.model } : {}),
          ...(choice.logprobs ? { logprobs: choice.logprobs } : {}),
        }),
      );
      judged += drafts.length;
      const judgement = judgeDrafts(drafts, options.steps, { prompt }, rank);
      mergeReasons(rejected, judgement.rejected);
      for (const draft of judgement.survivors) {
        const chosen = { status: 'chosen', text: draft.text, draft, settings: options.generation, draws: draw, drafts: judged, rejected } as const;
        if (!replyOptions.deliver) return { ...chosen, value: undefined as T };
        const known = refused.get(draft.text);
        if (known !== undefined) {
          countReason(rejected, known);
          continue;
        }
        const delivery = await replyOptions.deliver(draft);
        if ('refused' in delivery) {
          refused.set(draft.text, delivery.refused);
          countReason(rejected, delivery.refused);
          continue;
        }
        return { ...chosen, value: delivery.delivered };
      }
    }
    return { status: 'nothing_passed', draws: options.maxDraws, drafts: judged, rejected };
  }

  return { reply };
}

/**
 * What a surface logs about a decision: counts and reasons, never a rejected text. For the chosen draft,
 * which choice of which draw it was, how it ended, and whether it was ranked by its log-probabilities.
 */
export function outcomeLogFields(outcome: ReplyOutcome<unknown>): Record<string, unknown> {
  return {
    status: outcome.status,
    draws: outcome.draws,
    drafts: outcome.drafts,
    rejected: outcome.rejected,
    ...(outcome.status === 'chosen'
      ? { choice: outcome.draft.choice, finishReason: outcome.draft.finishReason, scored: outcome.draft.logprobs !== undefined }
      : {}),
  };
}
