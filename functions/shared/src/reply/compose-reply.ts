/**
 * What the bot says to a prompt, for any chat surface: the reply loop's chosen line, escaped for the
 * surface, or a short, honest apology when there is none to give. The surface's own steps (how the prompt
 * is shown) are in the reply loop it passes; `escape` makes generated text inert there (Slack's `<!channel>`).
 */
import { isModelError, ModelRejectedError } from '../errors.js';
import type { Log } from '../json-log.js';
import { stripInvisibleControls } from '../invisible-controls.js';
import type { ReasonCounts } from './draft.js';
import { draftSource, outcomeLogFields, type DraftSource, type ReplyLoop } from './reply-loop.js';

export type Reply =
  /** `source`: what made it, for a surface that keeps replies for feedback (feedback/served-reply.ts). */
  | { kind: 'generated'; text: string; source: DraftSource }
  | { kind: 'apology'; reason: 'model_unavailable' | 'model_rejected' | 'filtered' | 'empty' | 'gated'; text: string };

export const APOLOGIES = {
  model_unavailable: "Sorry, I can't think right now: my model server isn't answering. Try me again in a minute.",
  filtered: "I came up with something, but it isn't fit to post. Try another prompt?",
  empty: "I've got nothing. Try another prompt?",
  gated: "Nothing I came up with read well enough to send, so I'm not sending it. Try another prompt?",
} as const;

/** The apology for a reply where nothing passed: the output filter's is the most specific, then the gate's. */
function apologyFor(rejected: ReasonCounts): Reply {
  if ((rejected.filtered ?? 0) > 0) return { kind: 'apology', reason: 'filtered', text: APOLOGIES.filtered };
  const gated = Object.entries(rejected).some(([reason, count]) => reason !== 'empty' && count > 0);
  return gated ? { kind: 'apology', reason: 'gated', text: APOLOGIES.gated } : { kind: 'apology', reason: 'empty', text: APOLOGIES.empty };
}

export interface ComposeDeps {
  replies: ReplyLoop;
  log: Log;
  /** Makes text safe to post on the surface. */
  escape: (text: string) => string;
}

export async function composeReply(prompt: string, deps: ComposeDeps): Promise<Reply> {
  let outcome;
  try {
    outcome = await deps.replies.reply(prompt);
  } catch (error) {
    if (error instanceof ModelRejectedError) {
      deps.log('reply_refused', { status: error.status, param: error.param });
      return {
        kind: 'apology',
        reason: 'model_rejected',
        text: `Sorry, I couldn't do anything with that prompt (${deps.escape(stripInvisibleControls(error.message))}).`,
      };
    }
    if (isModelError(error)) {
      deps.log('reply_model_unavailable', { code: error.code, error: error.message });
      return { kind: 'apology', reason: 'model_unavailable', text: APOLOGIES.model_unavailable };
    }
    throw error;
  }
  deps.log('reply_decision', outcomeLogFields(outcome));
  if (outcome.status === 'chosen') return { kind: 'generated', text: deps.escape(outcome.text), source: draftSource(outcome) };
  return apologyFor(outcome.rejected);
}
