/**
 * Reactions on the bot's own replies as feedback: a 👍-like reaction rates the reply up, a 👎-like one down
 * (the lists are SLACK_FEEDBACK_UP / SLACK_FEEDBACK_DOWN), any other reaction means nothing. A person holds
 * one rating per reply, the last they added; removing a counted reaction withdraws it.
 */
import type { FeedbackRating, FeedbackStore } from '@mimicbot/functions-shared';
import type { ReactionRatings } from './config.js';

/** What the Slack function needs to keep replies and count reactions. */
export interface SlackFeedback {
  store: FeedbackStore;
  reactions: ReactionRatings;
  /** The model id recorded when the server names none (MODEL_NAME). */
  model?: string;
}

/** The id a reply is kept under: the bot's message, `${channel}:${ts}`, which a reaction event names too. */
export function slackReplyId(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

/** The rating a reaction stands for; undefined for the reactions that are not feedback. */
export function ratingForReaction(reaction: string, ratings: ReactionRatings): FeedbackRating | undefined {
  // Slack names a toned reaction `+1::skin-tone-3`; every tone counts as the reaction itself.
  const name = reaction.replace(/::skin-tone-\d$/, '');
  if (ratings.up.includes(name)) return 'up';
  if (ratings.down.includes(name)) return 'down';
  return undefined;
}
