/**
 * The ServedReply a surface saves for a reply it showed: what made it (model, seed, settings: the reply
 * loop's DraftSource) and what the surface showed. One home, so Slack and the demo record replies alike.
 */
import type { DraftSource } from '../reply/reply-loop.js';
import type { FeedbackSurface, ServedReply } from './feedback-store.js';

export interface Shown {
  surface: FeedbackSurface;
  /** See ServedReply.id. */
  id: string;
  /** What the model continued (the loop's prompt). */
  prompt: string;
  /** The text as shown. */
  text: string;
  /** The model id when the server did not name one (the function's MODEL_NAME, or "default"). */
  model?: string;
  servedAt: number;
}

export function servedReply(source: DraftSource, shown: Shown): ServedReply {
  const reply: ServedReply = {
    surface: shown.surface,
    id: shown.id,
    model: source.model ?? shown.model ?? 'default',
    prompt: shown.prompt,
    text: shown.text,
    settings: { ...source.settings },
    servedAt: shown.servedAt,
  };
  if (source.continuation !== shown.text) reply.continuation = source.continuation;
  if (source.seed !== undefined) reply.seed = source.seed;
  return reply;
}
