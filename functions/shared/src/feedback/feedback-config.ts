/**
 * How long feedback is kept and how voters are hashed, read the same way by every function that shows
 * replies (Slack, the demo). Which database it goes to is the function's STORE (see config.ts).
 */
import type { EnvReader } from '../config-reader.js';
import { DAY_MS } from './feedback-store.js';

export interface FeedbackConfig {
  /** FEEDBACK_REPLY_DAYS (default 7): how long an unrated reply can still be rated. */
  replyTtlMs: number;
  /** FEEDBACK_RATED_DAYS (default 180): how long a rated reply is kept after its last rating. */
  ratedTtlMs: number;
  /**
   * FEEDBACK_VOTER_KEY: the key voter ids are hashed under (voter-digest.ts), at least 16 characters.
   * Unset: the function derives one from a secret it already holds (Slack: its signing secret).
   */
  voterKey?: string;
}

export function readFeedbackConfig(read: EnvReader): FeedbackConfig {
  const voterKey = read.string('FEEDBACK_VOTER_KEY');
  if (voterKey !== undefined && voterKey.length < 16) read.problem('FEEDBACK_VOTER_KEY', 'must be at least 16 characters (e.g. `openssl rand -hex 32`)');
  return {
    replyTtlMs: read.number('FEEDBACK_REPLY_DAYS', 7, { min: 1, max: 90, integer: true }) * DAY_MS,
    ratedTtlMs: read.number('FEEDBACK_RATED_DAYS', 180, { min: 1, max: 3650, integer: true }) * DAY_MS,
    voterKey,
  };
}
