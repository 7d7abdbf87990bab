/**
 * A streamed reply under the same quality gate as every other reply, with one rule added for streaming:
 * nothing the gate would turn down is ever sent.
 *
 * - Words go out as they complete, each only after the text so far has passed the checks whose verdict
 *   on a start holds for the whole (the gate's streaming checks and the output filter). A draft that
 *   fails one is stopped before the failing word is shown.
 * - When the model is done, the whole draft goes through the same steps as a non-streamed reply (clean,
 *   cut back to a sentence if it hit the token limit, every check); `done` carries the text that passed,
 *   which replaces what was shown (it differs only by what a cut at the token limit took off the end).
 * - A draft turned down is followed by `reset` when any of it was shown, and the next draw streams,
 *   up to `maxDraws`; if none passes, `nothing` says why in counts.
 *
 * Unlike the non-streamed reply, each draw is one draft (n = 1): streaming shows the words as the model
 * writes them, so there is no choosing among several.
 */
import {
  countReason,
  judgeDrafts,
  joinToPrompt,
  newDraft,
  reshape,
  separatorAfterPrompt,
  type DraftStep,
  type ReasonCounts,
  type StreamDelta,
} from '@mimicbot/functions-shared';
import { StreamCleaner, type StreamCheck } from './stream-cleaner.js';

export type StreamEvent =
  | { type: 'delta'; text: string }
  | { type: 'reset' }
  | { type: 'done'; prompt: string; text: string; joined: string; draws: number; rejected: ReasonCounts }
  | { type: 'nothing'; draws: number; rejected: ReasonCounts };

export interface StreamReplyOptions {
  prompt: string;
  /** One draw: the model's first choice as it is generated. Leaving the loop early must end the request. */
  draw: () => AsyncIterable<StreamDelta>;
  /** The whole-draft steps (replySteps): what the non-streamed reply uses. */
  steps: readonly DraftStep[];
  /** The checks applied to each word as it arrives (the gate's streaming checks and the output filter). */
  streamingChecks: readonly DraftStep[];
  maxDraws: number;
}

/** The first reason `steps` give for turning down the text so far, if any. */
function checkWith(steps: readonly DraftStep[], prompt: string, draw: number): StreamCheck {
  return (text, raw) => {
    const draft = reshape(newDraft(raw, { finishReason: null, draw, choice: 0 }), text);
    return Object.keys(judgeDrafts([draft], steps, { prompt }).rejected)[0];
  };
}

export async function* streamReply(options: StreamReplyOptions): AsyncGenerator<StreamEvent> {
  const rejected: ReasonCounts = {};
  for (let draw = 1; draw <= options.maxDraws; draw++) {
    const cleaner = new StreamCleaner(checkWith(options.streamingChecks, options.prompt, draw));
    let shown = false;
    let stoppedFor: string | undefined;
    let finishReason: string | null = null;
    for await (const delta of options.draw()) {
      finishReason = delta.finishReason ?? finishReason;
      const step = cleaner.push(delta.text);
      if (step.text) {
        yield { type: 'delta', text: shown ? step.text : `${separatorAfterPrompt(options.prompt, cleaner.raw)}${step.text}` };
        shown = true;
      }
      if (step.rejected) stoppedFor = step.rejected;
      if (step.stop) break;
    }
    const judged = stoppedFor
      ? { survivors: [], rejected: { [stoppedFor]: 1 } }
      : judgeDrafts([newDraft(cleaner.raw, { finishReason, draw, choice: 0 })], options.steps, { prompt: options.prompt });
    const [survivor] = judged.survivors;
    if (survivor) {
      const joined = joinToPrompt(options.prompt, survivor.raw, survivor.continuation);
      yield { type: 'done', prompt: options.prompt, text: survivor.continuation, joined, draws: draw, rejected };
      return;
    }
    for (const reason of Object.keys(judged.rejected)) countReason(rejected, reason);
    if (shown) yield { type: 'reset' };
  }
  yield { type: 'nothing', draws: options.maxDraws, rejected };
}
