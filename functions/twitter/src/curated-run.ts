/**
 * A scheduled run in curated mode (POST_MODE=curated): draw candidates through the reply loop and the
 * gate, record them as an open set of drafts, and post them to the curation channel with their buttons.
 * Nothing goes to X here; a person's Approve does that (curated-actions.ts).
 */
import type { Log, ReasonCounts } from '@mimicbot/functions-shared';
import type { CuratorSlack } from './curator-slack.js';
import type { DraftLedger } from './draft-ledger.js';
import { draftsMessage } from './draft-messages.js';
import type { Candidates } from './draw-candidates.js';

export type CuratedRunOutcome =
  | { status: 'drafted'; set: string; candidates: number; channel: string; ts: string; attempts: number }
  | { status: 'skipped'; attempts: number; drafts: number; rejected: ReasonCounts };

export interface CuratedRunOptions {
  /** The candidates of one run (drawCandidates over the reply loop), as Regenerate draws them too. */
  draw: () => Promise<Candidates>;
  channel: string;
  draftTtlMs: number;
  disclosure: string;
  ledger: DraftLedger;
  slack: CuratorSlack;
  log?: Log;
}

export async function runCurated(options: CuratedRunOptions): Promise<CuratedRunOutcome> {
  const drawn = await options.draw();
  if (drawn.texts.length === 0) return { status: 'skipped', attempts: drawn.draws, drafts: drawn.drafts, rejected: drawn.rejected };
  // Recorded before it is shown, so no button can ever point at a set the store does not know.
  const opened = await options.ledger.open(drawn.texts, options.draftTtlMs);
  const { ts } = await options.slack.post(options.channel, draftsMessage(opened.id, opened.set, options.disclosure));
  options.log?.('curated_drafts_posted', { set: opened.id, candidates: drawn.texts.length, channel: options.channel, ts });
  return { status: 'drafted', set: opened.id, candidates: drawn.texts.length, channel: options.channel, ts, attempts: drawn.draws };
}
