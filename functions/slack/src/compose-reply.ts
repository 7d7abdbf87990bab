/**
 * What the bot says to a prompt: the reply loop's chosen line, escaped for Slack, or a short, honest
 * apology when there is none to give. Pure of Slack: the reply loop comes in, text goes out.
 *
 * How a reply reads (issue 11: "tell me a secret" was once answered "tell me a secrettempt friends."):
 * with SLACK_INCLUDE_PROMPT on, the reply is the user's words in italics, then the model's, joined the
 * way the model began (a space, a line break, or nothing before punctuation): "_tell me a secret_ about
 * the moon." It reads as one sentence, as gpt-2-cloud-run's include_prefix did, so it makes sense on its own in
 * a thread or a notification, and the italics show where the user stopped and the bot went on. A draft
 * that ran on inside the prompt's last word never gets this far: the gate turns it down as 'glued'.
 */
import {
  isModelError,
  joinToPrompt,
  ModelRejectedError,
  outcomeLogFields,
  stripInvisibleControls,
  type Draft,
  type DraftStep,
  type Log,
  type ReasonCounts,
  type ReplyLoop,
  type SurfaceSteps,
} from '@mimicbot/functions-shared';

export type Reply =
  | { kind: 'generated'; text: string }
  | { kind: 'apology'; reason: 'model_unavailable' | 'model_rejected' | 'filtered' | 'empty' | 'gated'; text: string };

export const APOLOGIES = {
  model_unavailable: "Sorry, I can't think right now: my model server isn't answering. Try me again in a minute.",
  filtered: "I came up with something, but it isn't fit to post. Try another prompt?",
  empty: "I've got nothing. Try another prompt?",
  gated: "Nothing I came up with read well enough to send, so I'm not sending it. Try another prompt?",
} as const;

/** Slack reads `<...>` as links and mentions and `&` as an entity; generated text must not ping <!channel>. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Characters that would break Slack's `_italics_` around the prompt (or be read as formatting inside it). */
const FORMATTING = /[_*~`\n]/;

/** The prompt in italics when Slack can show it so; as it is otherwise. */
export function italicPrompt(prompt: string): string {
  return prompt === '' || FORMATTING.test(prompt) ? prompt : `_${prompt}_`;
}

/**
 * The prompt, then the continuation (see the top of this file). Judged by the output filter as a whole:
 * it is what is posted.
 */
export const presentAfterPrompt: DraftStep = (draft: Draft, context) => ({
  ...draft,
  text: joinToPrompt(italicPrompt(context.prompt), draft.raw, draft.continuation),
});

/** SLACK_INCLUDE_PROMPT on: the prompt, then the continuation; off: the continuation alone. */
export function slackSteps(includePrompt: boolean): SurfaceSteps {
  return includePrompt ? { present: [presentAfterPrompt] } : {};
}

/** The apology for a reply where nothing passed: the output filter's is the most specific, then the gate's. */
function apologyFor(rejected: ReasonCounts): Reply {
  if ((rejected.filtered ?? 0) > 0) return { kind: 'apology', reason: 'filtered', text: APOLOGIES.filtered };
  const gated = Object.entries(rejected).some(([reason, count]) => reason !== 'empty' && count > 0);
  return gated ? { kind: 'apology', reason: 'gated', text: APOLOGIES.gated } : { kind: 'apology', reason: 'empty', text: APOLOGIES.empty };
}

export async function composeReply(prompt: string, deps: { replies: ReplyLoop; log: Log }): Promise<Reply> {
  let outcome;
  try {
    outcome = await deps.replies.reply(prompt);
  } catch (error) {
    if (error instanceof ModelRejectedError) {
      deps.log('reply_refused', { status: error.status, param: error.param });
      return {
        kind: 'apology',
        reason: 'model_rejected',
        text: `Sorry, I couldn't do anything with that prompt (${escapeSlackText(stripInvisibleControls(error.message))}).`,
      };
    }
    if (isModelError(error)) {
      deps.log('reply_model_unavailable', { code: error.code, error: error.message });
      return { kind: 'apology', reason: 'model_unavailable', text: APOLOGIES.model_unavailable };
    }
    throw error;
  }
  deps.log('reply_decision', outcomeLogFields(outcome));
  if (outcome.status === 'chosen') return { kind: 'generated', text: escapeSlackText(outcome.text) };
  return apologyFor(outcome.rejected);
}
