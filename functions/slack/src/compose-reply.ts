/**
 * What the bot says to a prompt: the reply loop's chosen line, escaped for Slack, or a short friendly
 * apology when there is none to give. Pure of Slack: the reply loop comes in, text goes out.
 */
import {
  cleanGeneratedText,
  isModelError,
  ModelRejectedError,
  outcomeLogFields,
  stripInvisibleControls,
  type Draft,
  type DraftStep,
  type Log,
  type ReplyLoop,
  type SurfaceSteps,
} from '@mimicbot/functions-shared';

export type Reply =
  | { kind: 'generated'; text: string }
  | { kind: 'apology'; reason: 'model_unavailable' | 'model_rejected' | 'filtered' | 'empty'; text: string };

export const APOLOGIES = {
  model_unavailable: "Sorry, I can't think right now: my model server isn't answering. Try me again in a minute.",
  filtered: "I came up with something, but it isn't fit to post. Try another prompt?",
  empty: "I've got nothing. Try another prompt?",
} as const;

/** Slack reads `<...>` as links and mentions and `&` as an entity; generated text must not ping <!channel>. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The prompt, then the continuation as the model wrote it: whatever whitespace the model put first is
 * kept, so " are" continues "cats" as "cats are". Judged by the output filter as a whole (it is what is posted).
 */
export const prependPrompt: DraftStep = (draft: Draft, context) => {
  if (context.prompt === '') return draft;
  const leading = /^(?:\s*<\|endoftext\|>)*(\s*)/.exec(stripInvisibleControls(draft.raw))?.[1] ?? '';
  return { ...draft, text: cleanGeneratedText(`${context.prompt}${leading}${draft.text}`) };
};

/** SLACK_INCLUDE_PROMPT on: the reply reads as one line, prompt first (millzbot's include_prefix). */
export function slackSteps(includePrompt: boolean): SurfaceSteps {
  return includePrompt ? { present: [prependPrompt] } : {};
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
  return (outcome.rejected.filtered ?? 0) > 0
    ? { kind: 'apology', reason: 'filtered', text: APOLOGIES.filtered }
    : { kind: 'apology', reason: 'empty', text: APOLOGIES.empty };
}
