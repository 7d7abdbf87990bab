/**
 * How often the X poster's drafts pass the quality gate on the first draw: `drafts` drafts asked for in
 * requests of `candidates` (one draw each, as a scheduled post asks), each judged by the poster's own steps.
 * Two rates: of the drafts, how many pass; of the draws, how many have at least one that passes (a slot
 * that posts without drawing again). Model in, counts out; the CLI (scripts/gate-rate.ts) prints them.
 */
import { judgeDrafts, mergeReasons, newDraft, type DraftStep, type GenerationSettings, type ModelClient, type ReasonCounts } from '@mimicbot/functions-shared';

export interface GateRate {
  drafts: number;
  passed: number;
  draws: number;
  drawsWithAPass: number;
  rejected: ReasonCounts;
  /** Drafts that came with log-probabilities (the ranking used them). */
  scored: number;
}

export interface GateRateOptions {
  model: Pick<ModelClient, 'complete'>;
  steps: readonly DraftStep[];
  prompt: string;
  generation: GenerationSettings;
  candidates: number;
  drafts: number;
  onProgress?: (done: number, total: number) => void;
}

export async function measureGateRate(options: GateRateOptions): Promise<GateRate> {
  const rate: GateRate = { drafts: 0, passed: 0, draws: 0, drawsWithAPass: 0, rejected: {}, scored: 0 };
  while (rate.drafts < options.drafts) {
    const n = Math.min(options.candidates, options.drafts - rate.drafts);
    const completion = await options.model.complete({ prompt: options.prompt, ...options.generation, n, ...(n > 1 ? { logprobs: 0 } : {}) });
    const draw = rate.draws + 1;
    const drafts = completion.choices.map((choice, index) =>
      newDraft(choice.text, { finishReason: choice.finishReason, draw, choice: index, ...(choice.logprobs ? { logprobs: choice.logprobs } : {}) }),
    );
    const judgement = judgeDrafts(drafts, options.steps, { prompt: options.prompt });
    rate.drafts += drafts.length;
    rate.passed += judgement.survivors.length;
    rate.draws = draw;
    if (judgement.survivors.length > 0) rate.drawsWithAPass++;
    rate.scored += drafts.filter((d) => d.logprobs).length;
    mergeReasons(rate.rejected, judgement.rejected);
    options.onProgress?.(rate.drafts, options.drafts);
  }
  return rate;
}

const percent = (part: number, whole: number) => `${((100 * part) / Math.max(whole, 1)).toFixed(1)}%`;

export function formatGateRate(rate: GateRate): string {
  const reasons = Object.entries(rate.rejected)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return [
    `drafts that pass the gate:       ${rate.passed} / ${rate.drafts} (${percent(rate.passed, rate.drafts)})`,
    `first draws with one to post:    ${rate.drawsWithAPass} / ${rate.draws} (${percent(rate.drawsWithAPass, rate.draws)})`,
    `turned down, by reason:          ${reasons || 'none'}`,
    `drafts with log-probabilities:   ${rate.scored} / ${rate.drafts}${rate.scored === 0 ? ' (the server returned none: ranked without them)' : ''}`,
  ].join('\n');
}
