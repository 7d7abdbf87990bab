/**
 * How a reply reads in Discord: the user's words in italics, then the model's, joined the way the model
 * began ("*tell me a secret* about the moon.") — a slash command's own words are not shown in the channel,
 * so the answer carries them. Generated text needs no escaping to be safe: every edit is sent with
 * `allowed_mentions: {parse: []}`, so an "@everyone" in it pings no one; it is only cut to fit a message.
 */
import { composeReply, joinToPrompt, type DraftStep, type Log, type Reply, type ReplyLoop, type SurfaceSteps } from '@mimicbot/functions-shared';

/** Discord refuses a message over 2,000 characters. */
export const MAX_CONTENT_CHARS = 2000;

/** Characters that would break `*italics*` around the prompt (or be read as markdown inside it). */
const MARKDOWN = /[*_~`|>#\n\\[\]]/;

export function italicPrompt(prompt: string): string {
  return prompt === '' || MARKDOWN.test(prompt) ? prompt : `*${prompt}*`;
}

export function fitMessage(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_CONTENT_CHARS ? text : `${chars.slice(0, MAX_CONTENT_CHARS - 1).join('')}…`;
}

const presentAfterPrompt: DraftStep = (draft, context) => ({ ...draft, text: joinToPrompt(italicPrompt(context.prompt), draft.raw, draft.continuation) });

export const discordSteps: SurfaceSteps = { present: [presentAfterPrompt] };

export function composeDiscordReply(prompt: string, deps: { replies: ReplyLoop; log: Log }): Promise<Reply> {
  return composeReply(prompt, { ...deps, escape: fitMessage });
}
