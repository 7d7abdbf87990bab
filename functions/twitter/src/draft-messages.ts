/**
 * The curation channel's messages in Slack's Block Kit, as plain data: the open drafts with their buttons,
 * and what each set becomes once someone acted on it. Drafts are shown as `plain_text` exactly as they
 * would be posted, disclosure included: nothing the model wrote is read as Slack markup or mentions.
 * Button values carry the set's id (and the draft's index for Approve), never text.
 */
import type { DraftSet } from './draft-ledger.js';
import { withDisclosure } from './weighted-length.js';

export interface SlackMessage {
  /** The notification and screen-reader text. */
  text: string;
  blocks: Record<string, unknown>[];
}

export const ACTION = { approve: 'curated_approve', regenerate: 'curated_regenerate', discard: 'curated_discard' } as const;

/** Where a post can be seen without knowing the account's handle. */
export const tweetUrl = (id: string) => `https://x.com/i/web/status/${id}`;

const mrkdwn = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const plain = (text: string) => ({ type: 'section', text: { type: 'plain_text', text, emoji: false } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
/** Slack's date formatting: shown in each reader's own time zone, with a fallback for old clients. */
const slackDate = (ms: number) => `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${new Date(ms).toISOString()}>`;
const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger') => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

export function draftsMessage(id: string, set: DraftSet, disclosure: string, note?: string): SlackMessage {
  const count = set.candidates.length;
  const blocks: Record<string, unknown>[] = [mrkdwn(`*${count === 1 ? 'A draft' : `${count} drafts`} for the next post on X.* Approve one to post it; nothing is posted otherwise.`)];
  set.candidates.forEach((text, index) => {
    blocks.push(plain(withDisclosure(text, disclosure)));
    // action_id must be unique within a message; the index after the prefix says which draft.
    blocks.push({ type: 'actions', block_id: `draft_${index}`, elements: [button(`Approve #${index + 1}`, `${ACTION.approve}_${index}`, `${id}:${index}`, 'primary')] });
  });
  blocks.push({ type: 'divider' });
  blocks.push({
    type: 'actions',
    block_id: 'set',
    elements: [button('Regenerate', ACTION.regenerate, id), button('Discard', ACTION.discard, id, 'danger')],
  });
  blocks.push(context(`${note ? `${note} · ` : ''}Expires ${slackDate(set.expiresAt)}.`));
  return { text: `${count === 1 ? 'A draft' : `${count} drafts`} for the next post on X: approve one to post it.`, blocks };
}

/** Approved and posted: who chose it, the post's URL, and exactly what went out. */
export function postedMessage(postedText: string, by: string, tweetId: string): SlackMessage {
  const line = `:white_check_mark: Approved by <@${by}> and posted: ${tweetUrl(tweetId)}`;
  return { text: `Approved by <@${by}> and posted: ${tweetUrl(tweetId)}`, blocks: [mrkdwn(line), plain(postedText)] };
}

export function discardedMessage(by: string): SlackMessage {
  const line = `:wastebasket: Discarded by <@${by}>. Nothing was posted.`;
  return { text: line, blocks: [mrkdwn(line)] };
}

export function expiredMessage(set: DraftSet): SlackMessage {
  const line = `:hourglass: These drafts expired ${slackDate(set.expiresAt)}. Nothing was posted.`;
  return { text: line, blocks: [mrkdwn(line)] };
}

/** X got the request but never answered: the post may be out, so the drafts are closed rather than retried. */
export function uncertainMessage(text: string, by: string, why: string): SlackMessage {
  const line = `:warning: Approved by <@${by}>, but X did not answer (${why}). It may have been posted: check the account before posting it by hand.`;
  return { text: line, blocks: [mrkdwn(line), plain(text)] };
}
