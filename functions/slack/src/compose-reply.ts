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
import { APOLOGIES, composeReply as composeFor, joinToPrompt, type Draft, type DraftStep, type Log, type Reply, type ReplyLoop, type SurfaceSteps } from '@mimicbot/functions-shared';

export { APOLOGIES, type Reply };

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

/** The shared reply, escaped for Slack. */
export function composeReply(prompt: string, deps: { replies: ReplyLoop; log: Log }): Promise<Reply> {
  return composeFor(prompt, { ...deps, escape: escapeSlackText });
}
