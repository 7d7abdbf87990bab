/**
 * What the bot says to a prompt: a generated line, or a short friendly apology when there is none to give.
 * Pure of Slack: the model client and output filter come in, text goes out.
 */
import {
  cleanGeneratedText,
  isModelError,
  ModelRejectedError,
  type GenerationSettings,
  type ModelClient,
  type OutputFilter,
} from '@mimicbot/functions-shared';

export type Reply =
  | { kind: 'generated'; text: string }
  | { kind: 'apology'; reason: 'model_unavailable' | 'model_rejected' | 'filtered' | 'empty'; text: string };

export interface ComposeReplyDeps {
  model: ModelClient;
  filter: OutputFilter;
  generation: GenerationSettings;
  /** Start the reply with the prompt, so it reads as one line (millzbot's include_prefix). */
  includePrompt: boolean;
  /** Generations to try when one is empty or filtered out (default 3). */
  attempts?: number;
}

export const APOLOGIES = {
  model_unavailable: "Sorry, I can't think right now: my model server isn't answering. Try me again in a minute.",
  filtered: "I came up with something, but it isn't fit to post. Try another prompt?",
  empty: "I've got nothing. Try another prompt?",
} as const;

/** Slack reads `<...>` as links and mentions and `&` as an entity; generated text must not ping <!channel>. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function composeReply(prompt: string, deps: ComposeReplyDeps): Promise<Reply> {
  const attempts = deps.attempts ?? 3;
  let filtered = false;
  for (let attempt = 0; attempt < attempts; attempt++) {
    let completion: string;
    try {
      ({ text: completion } = await deps.model.complete({ prompt, ...deps.generation }));
    } catch (error) {
      if (error instanceof ModelRejectedError) {
        return {
          kind: 'apology',
          reason: 'model_rejected',
          text: `Sorry, I couldn't do anything with that prompt (${escapeSlackText(error.message)}).`,
        };
      }
      if (isModelError(error)) return { kind: 'apology', reason: 'model_unavailable', text: APOLOGIES.model_unavailable };
      throw error;
    }
    const continuation = cleanGeneratedText(completion);
    if (continuation === '') continue;
    const text = deps.includePrompt ? cleanGeneratedText(prompt + completion) : continuation;
    if (!deps.filter.isAllowed(text)) {
      filtered = true;
      continue;
    }
    return { kind: 'generated', text: escapeSlackText(text) };
  }
  return filtered
    ? { kind: 'apology', reason: 'filtered', text: APOLOGIES.filtered }
    : { kind: 'apology', reason: 'empty', text: APOLOGIES.empty };
}
