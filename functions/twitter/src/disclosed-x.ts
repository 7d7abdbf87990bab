/**
 * POST_DISCLOSURE on everything the bot posts: the X API with the disclosure appended to each post and
 * reply, so no path (scheduled, curated, mention replies, dry run) can forget it. The drafts were fitted
 * with it counted (tweetSteps), so the whole still fits X's limit.
 */
import { withDisclosure } from './weighted-length.js';
import type { XApi } from './x-client.js';

export function disclosedX(x: XApi, disclosure: string): XApi {
  if (disclosure === '') return x;
  return {
    ...x,
    tweet: (text) => x.tweet(withDisclosure(text, disclosure)),
    reply: (text, toTweetId) => x.reply(withDisclosure(text, disclosure), toTweetId),
  };
}
