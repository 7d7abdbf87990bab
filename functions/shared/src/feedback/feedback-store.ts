/**
 * Feedback on what the bot said: 👍/👎 on a demo reply, a Slack reaction on the bot's own message. The
 * surface that shows a reply saves it (saveReply) with what made it (model, prompt, seed, settings) under
 * an id it can find again when feedback arrives; a rating then names that id and the voter. `feedback
 * export` reads every rated reply back (ratedReplies) to make a faves list and a dataset for the next
 * fine-tune.
 *
 * What is kept about people: only the voter id the surface's own event carries (a Slack user id; the demo's
 * random per-browser id), never a name or an address; the Firestore store keeps a keyed hash of it instead
 * (voter-digest.ts). Each implementation says how long it keeps things: an unrated reply `replyTtlMs` after
 * it was served, a rated one `ratedTtlMs` after its last rating (FEEDBACK_REPLY_DAYS, FEEDBACK_RATED_DAYS).
 */
import type { GenerationSettings } from '../config.js';

export const FEEDBACK_SURFACES = ['demo', 'slack', 'discord', 'x'] as const;
export type FeedbackSurface = (typeof FEEDBACK_SURFACES)[number];

export type FeedbackRating = 'up' | 'down';

/** A reply as it was shown, and everything that made it. */
export interface ServedReply {
  surface: FeedbackSurface;
  /**
   * Unique within the surface and found again from the feedback event: the demo's random id sent with the
   * reply; on Slack `${channel}:${ts}` of the bot's message.
   */
  id: string;
  /** The model that wrote it (the server's model id). */
  model: string;
  /** What the bot was answering, as the model saw it after cleaning. */
  prompt: string;
  /** The reply's text as shown (the model's continuation, after the filter). */
  text: string;
  /**
   * The model's own words in it, without what the surface put around them (Slack's italic prompt) or its
   * escaping: what a dataset of liked replies trains on. Absent when they are `text` itself.
   */
  continuation?: string;
  /** The seed that draws this reply again with the same model, prompt and settings; absent when unseeded. */
  seed?: number;
  settings: GenerationSettings;
  /** Milliseconds since the epoch. */
  servedAt: number;
}

/** A reply with the ratings it has now. */
export interface RatedReply {
  reply: ServedReply;
  up: number;
  down: number;
}

export interface FeedbackStore {
  /** Keeps a shown reply so feedback can find it; saving the same surface and id again replaces it. */
  saveReply(reply: ServedReply): Promise<void>;
  getReply(surface: FeedbackSurface, id: string): Promise<ServedReply | undefined>;
  /**
   * Sets one voter's rating of a reply, or clears it with null (a removed reaction). A voter holds at most
   * one rating per reply: rating again replaces it. False when the reply is unknown (never saved, or
   * expired), and then nothing is stored.
   */
  rate(surface: FeedbackSurface, replyId: string, voter: string, rating: FeedbackRating | null): Promise<boolean>;
  /** Every reply with at least one rating, with its counts, in no particular order. */
  ratedReplies(): AsyncIterable<RatedReply>;
  /** About how many ratedReplies will give (a progress bar's total; expired ones may still be counted). */
  countRated(): Promise<number>;
  close(): Promise<void>;
}

/** The store could not be reached or did not answer in time. */
export class FeedbackStoreError extends Error {
  readonly code = 'feedback_store_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FeedbackStoreError';
  }
}

/** How long a store keeps replies; both stores take these. */
export interface FeedbackRetention {
  /** How long an unrated reply stays findable after it was served (default 7 days). */
  replyTtlMs?: number;
  /** How long a rated reply is kept after its last rating (default 180 days). */
  ratedTtlMs?: number;
  now?: () => number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_REPLY_TTL_MS = 7 * DAY_MS;
export const DEFAULT_RATED_TTL_MS = 180 * DAY_MS;

/** Up and down counts of a set of ratings. */
export function countRatings(ratings: Iterable<FeedbackRating>): { up: number; down: number } {
  let up = 0;
  let down = 0;
  for (const rating of ratings) {
    if (rating === 'up') up++;
    else down++;
  }
  return { up, down };
}
