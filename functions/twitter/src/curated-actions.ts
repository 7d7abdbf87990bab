/**
 * What a click on a curated draft's button does, whatever delivered it (curator-app.ts parses Slack's
 * block_actions into a Click). Every answer is a Slack message: the drafts' message updated for all to
 * see, or an ephemeral line to the one who clicked; a click that comes too late or second is answered,
 * never an error.
 *
 * - Approve: the set moves open -> posting (one compare-and-set; the second click loses it and is told who
 *   approved), the draft goes to X with the disclosure, the set moves to posted, and the message says who
 *   approved it and the post's URL. X refusing it (it answered) puts the set back to open.
 * - Regenerate: new candidates are drawn first, then the set moves to replaced and the message shows the
 *   new set, whose buttons carry the new id: the old buttons are dead. Drawing takes a model call, longer
 *   than Slack's 3 s for an answer; Slack then shows the clicker a warning, and the message still changes.
 * - Discard: the set moves to discarded; nothing is posted.
 */
import type { Log } from '@mimicbot/functions-shared';
import type { CuratorSlack } from './curator-slack.js';
import type { DraftLedger, DraftSet, ReadDraftSet } from './draft-ledger.js';
import { discardedMessage, draftsMessage, expiredMessage, postedMessage, tweetUrl, uncertainMessage } from './draft-messages.js';
import type { Candidates } from './draw-candidates.js';
import type { RecentPosts } from './recent-posts.js';
import { certainlyNotPosted, XDuplicateError, type XApi } from './x-client.js';

export type Click =
  | { action: 'approve'; set: string; choice: number; user: string; channel: string; messageTs: string }
  | { action: 'regenerate' | 'discard'; set: string; user: string; channel: string; messageTs: string };

export interface CuratedActionsDeps {
  ledger: DraftLedger;
  slack: CuratorSlack;
  /** Posts with the disclosure appended (disclosedX). */
  x: XApi;
  /** Draws a new set of candidates (drawCandidates with the run's prompt and count). */
  draw: () => Promise<Candidates>;
  /** The curation channel: a click from anywhere else is refused. */
  channel: string;
  draftTtlMs: number;
  disclosure: string;
  recent?: RecentPosts;
  log: Log;
}

export function createCuratedActions(deps: CuratedActionsDeps) {
  const { ledger, slack, log } = deps;
  const tell = (click: Click, text: string) => slack.tell(click.channel, click.user, text);

  /** The answer to a click on a set that is no longer open (or past its expiry). */
  async function alreadyClosed(click: Click, read: ReadDraftSet | undefined): Promise<void> {
    log('curated_click_closed', { action: click.action, set: click.set, state: read?.set.state ?? 'unknown' });
    if (!read) return tell(click, 'These drafts are no longer known (they expired long ago). Nothing was posted.');
    const { set } = read;
    switch (set.state) {
      case 'open':
        // Past its expiry: the message says so for everyone, the buttons go.
        await slack.update(click.channel, click.messageTs, expiredMessage(set));
        return tell(click, 'These drafts have expired. Nothing was posted.');
      case 'posting':
        return tell(click, `<@${set.by}> approved draft #${set.chosen + 1}; it is being posted (or X did not answer). Nothing more will be posted from these drafts.`);
      case 'posted':
        return tell(click, `Already approved by <@${set.by}> and posted: ${tweetUrl(set.tweetId)}`);
      case 'discarded':
        return tell(click, `<@${set.by}> discarded these drafts. Nothing was posted.`);
      case 'replaced':
        return tell(click, `<@${set.by}> regenerated these drafts; use the buttons of the new ones.`);
    }
  }

  /** The set if it is open and live; otherwise the clicker has been answered and it is undefined. */
  async function openSet(click: Click): Promise<ReadDraftSet | undefined> {
    if (click.channel !== deps.channel) {
      await tell(click, 'These buttons work only in the curation channel.');
      return undefined;
    }
    const read = await ledger.read(click.set);
    if (read && ledger.isLive(read)) return read;
    await alreadyClosed(click, read);
    return undefined;
  }

  async function approve(click: Extract<Click, { action: 'approve' }>): Promise<void> {
    const read = await openSet(click);
    if (!read) return;
    const { candidates, createdAt, expiresAt } = read.set;
    const text = candidates[click.choice];
    if (text === undefined) return tell(click, `There is no draft #${click.choice + 1} in these drafts.`);
    const common = { candidates, createdAt, expiresAt };
    const posting = await ledger.move(read, { ...common, state: 'posting', chosen: click.choice, by: click.user });
    if (!posting) return alreadyClosed(click, await ledger.read(click.set));

    let tweet: { id: string; text: string };
    try {
      tweet = await deps.x.tweet(text);
    } catch (error) {
      const why = (error as Error).message;
      if (!certainlyNotPosted(error)) {
        log('curated_post_uncertain', { set: click.set, error: why });
        return slack.update(click.channel, click.messageTs, uncertainMessage(text, click.user, why));
      }
      await ledger.move(posting, { ...common, state: 'open' });
      log('curated_post_refused', { set: click.set, error: why });
      const hint = error instanceof XDuplicateError ? 'X says the account posted this text already' : why;
      return tell(click, `X did not post draft #${click.choice + 1}: ${hint}. The drafts are still open.`);
    }
    const posted: DraftSet = { ...common, state: 'posted', chosen: click.choice, by: click.user, tweetId: tweet.id };
    // Only this click moves a set out of its `posting`, so this cannot lose.
    await ledger.move(posting, posted);
    await deps.recent?.remember(text);
    log('curated_posted', { set: click.set, choice: click.choice, id: tweet.id });
    await slack.update(click.channel, click.messageTs, postedMessage(tweet.text, click.user, tweet.id));
  }

  async function regenerate(click: Click): Promise<void> {
    const read = await openSet(click);
    if (!read) return;
    const drawn = await deps.draw();
    if (drawn.texts.length === 0) {
      log('curated_regenerate_nothing', { set: click.set, rejected: drawn.rejected });
      return tell(click, `Nothing passed the quality gate in ${drawn.draws} draws (${drawn.drafts} drafts); these drafts stay as they are.`);
    }
    const next = await ledger.open(drawn.texts, deps.draftTtlMs);
    const { candidates, createdAt, expiresAt } = read.set;
    if (!(await ledger.move(read, { candidates, createdAt, expiresAt, state: 'replaced', by: click.user, next: next.id }))) {
      // Someone approved or discarded meanwhile; the new set is never shown, so it is closed at once.
      await ledger.move(next, { ...next.set, state: 'discarded', by: click.user });
      return alreadyClosed(click, await ledger.read(click.set));
    }
    log('curated_regenerated', { set: click.set, next: next.id, candidates: drawn.texts.length });
    await slack.update(click.channel, click.messageTs, draftsMessage(next.id, next.set, deps.disclosure, `Regenerated by <@${click.user}>`));
  }

  async function discard(click: Click): Promise<void> {
    const read = await openSet(click);
    if (!read) return;
    const { candidates, createdAt, expiresAt } = read.set;
    if (!(await ledger.move(read, { candidates, createdAt, expiresAt, state: 'discarded', by: click.user }))) return alreadyClosed(click, await ledger.read(click.set));
    log('curated_discarded', { set: click.set });
    await slack.update(click.channel, click.messageTs, discardedMessage(click.user));
  }

  return {
    /** Tells the clicker that their click failed (the store or Slack was down); never throws. */
    async failed(click: Click, error: unknown): Promise<void> {
      await tell(click, `That did not work (${(error as Error).message}); see the X function's log.`).catch(() => {});
    },
    async handle(click: Click): Promise<void> {
      if (click.action === 'approve') return approve(click);
      if (click.action === 'regenerate') return regenerate(click);
      return discard(click);
    },
  };
}

export type CuratedActions = ReturnType<typeof createCuratedActions>;
