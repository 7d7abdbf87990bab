/**
 * Drafts for a person to choose from (POST_MODE=curated): the reply loop with the same gate, steps and
 * ranking as an automatic post, but instead of posting the best draft, `deliver` keeps each surviving
 * draft, best first, until it has `count` different ones. Keeping one is reported to the loop as a
 * refusal so that it offers the next survivor; that reason is taken out of the counts it returns. A line
 * posted lately is refused as it would be before an automatic post.
 */
import { outcomeLogFields, type Log, type ReasonCounts, type ReplyLoop } from '@mimicbot/functions-shared';
import { postFingerprint, type RecentPosts } from './recent-posts.js';

const KEPT = 'kept_as_candidate';

export interface Candidates {
  /** Best first; fewer than asked for when the loop's draws ran out first (none: nothing passed). */
  texts: string[];
  draws: number;
  drafts: number;
  rejected: ReasonCounts;
}

export async function drawCandidates(replies: ReplyLoop, prompt: string, count: number, options: { recent?: RecentPosts; log?: Log } = {}): Promise<Candidates> {
  const texts: string[] = [];
  const fingerprints = new Set<string>();
  const outcome = await replies.reply<true>(prompt, {
    deliver: async (draft) => {
      const fingerprint = postFingerprint(draft.text);
      if (fingerprints.has(fingerprint)) return { refused: 'same_as_another_candidate' };
      if (await options.recent?.seen(draft.text)) return { refused: 'posted_recently' };
      fingerprints.add(fingerprint);
      texts.push(draft.text);
      return texts.length < count ? { refused: KEPT } : { delivered: true };
    },
  });
  const { [KEPT]: _kept, ...rejected } = outcome.rejected;
  options.log?.('candidates_decision', { ...outcomeLogFields(outcome), status: texts.length > 0 ? 'drafted' : 'nothing_passed', rejected, candidates: texts.length });
  return { texts, draws: outcome.draws, drafts: outcome.drafts, rejected };
}
