/**
 * The HTTP boundary of the X function: checks who is calling, runs a post (and mention replies when on),
 * and maps every outcome and error to one JSON answer. With POST_MODE=curated the run drafts into Slack
 * instead of posting, and `/slack/actions` takes the drafts' button clicks (curator-app.ts), which carry
 * Slack's signature instead of the trigger's credentials. Everything it uses is passed in.
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import { futureTimestampProblem, isModelError, KeyValueStoreError, type KeyValueStore, type Log, type ReplyLoop } from '@mimicbot/functions-shared';
import { HTTPReceiverDeferredRequestError, type HTTPReceiver } from '@slack/bolt';
import type { CuratedConfig, TwitterSettings } from './config.js';
import { createCuratedActions } from './curated-actions.js';
import { runCurated, type CuratedRunOutcome } from './curated-run.js';
import { createCuratorApp, CURATOR_PATH } from './curator-app.js';
import { CuratorSlackError, type CuratorSlack } from './curator-slack.js';
import { disclosedX } from './disclosed-x.js';
import { createDraftLedger } from './draft-ledger.js';
import { drawCandidates } from './draw-candidates.js';
import { postWithRetries, type PostOutcome } from './post-with-retries.js';
import { createRecentPosts, type RecentPosts } from './recent-posts.js';
import { replyToMentions, type ReplyOutcome } from './reply-to-mentions.js';
import { checkTrigger, type TriggerAuthOptions } from './trigger-auth.js';
import { XApiError, type XApi } from './x-client.js';

export interface TwitterDeps extends TwitterSettings {
  /** With the tweet steps and MAX_ATTEMPTS draws; posts and mention replies both go through it. */
  replies: ReplyLoop;
  store: KeyValueStore;
  /** Absent only in a dry run without X credentials: posts are logged and mentions are not read. */
  x?: XApi;
  trigger: TriggerAuthOptions;
  /** POST_MODE=curated: scheduled runs draft into Slack, clicks on /slack/actions post. */
  curated?: CuratedDeps;
  log: Log;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface CuratedDeps extends Pick<CuratedConfig, 'channel' | 'candidates' | 'draftTtlMs' | 'signingSecret' | 'botToken'> {
  slack: CuratorSlack;
}

/** In a dry run X is read (when credentials exist) but never written: posts and replies go to the log. */
function dryRunX(x: XApi | undefined, log: Log): XApi {
  let counter = 0;
  const logged = async (text: string, inReplyTo?: string) => {
    log('dry_run_post', { text, inReplyTo });
    return { id: `dry-run-${++counter}`, text };
  };
  const noX = () => Promise.reject(new XApiError('no X credentials in this dry run; mentions are not read'));
  return {
    tweet: (text) => logged(text),
    reply: (text, to) => logged(text, to),
    myUserId: x ? () => x.myUserId() : noX,
    mentionsSince: x ? (...args) => x.mentionsSince(...args) : noX,
  };
}

/**
 * A skipped slot is a decision, not a failure: 200, so Cloud Scheduler neither retries it nor reports the
 * job as failing; the body and the log say why nothing was posted.
 */
function statusFor(outcome: PostOutcome | CuratedRunOutcome): number {
  if (outcome.status === 'rate_limited') return 429;
  return 200;
}

export function createTwitterHandler(deps: TwitterDeps) {
  const { log } = deps;
  const plainX = deps.dryRun ? dryRunX(deps.x, log) : deps.x;
  if (!plainX) throw new Error('X credentials are required unless DRY_RUN is on');
  const x = disclosedX(plainX, deps.disclosure);
  const recent = createRecentPosts(deps.store, deps.recentPostsDays * 24 * 3_600_000, log);
  const curator = deps.curated && curatorFor(deps, deps.curated, x, recent);

  return async function twitterHandler(req: Request, res: Response): Promise<void> {
    if (req.path === CURATOR_PATH) {
      if (!curator) {
        res.status(404).json({ error: { message: `no Slack actions here: ${CURATOR_PATH} answers curation buttons only with POST_MODE=curated`, type: 'not_found' } });
        return;
      }
      // Bolt refuses only stale timestamps; a signed click dated ahead would stay replayable until then.
      const future = futureTimestampProblem(req.headers['x-slack-request-timestamp'], (deps.now ?? Date.now)());
      if (future) {
        log('request_refused', { reason: 'timestamp_in_future' });
        res.status(401).json({ error: { message: future, field: 'x-slack-request-timestamp' } });
        return;
      }
      try {
        curator.receiver.requestListener(req, res);
      } catch (error) {
        if (!(error instanceof HTTPReceiverDeferredRequestError)) throw error;
        res.status(404).json({ error: { message: `no Slack endpoint at ${req.method} ${req.path}; Slack POSTs clicks to ${CURATOR_PATH}`, type: 'not_found' } });
      }
      return;
    }
    if (req.method !== 'POST' && req.method !== 'GET') {
      res.status(405).set('allow', 'GET, POST').json({ error: { message: 'use POST (or GET) to trigger a post', field: 'method' } });
      return;
    }
    const auth = await checkTrigger(req.headers, deps.trigger);
    if (!auth.ok) {
      log('trigger_refused', { reason: auth.reason });
      res.status(401).json({ error: { message: `not allowed: ${auth.reason}`, field: 'authorization' } });
      return;
    }

    try {
      const post = curator ? await curator.run() : await postWithRetries({
        replies: deps.replies,
        prompt: deps.tweetPrompt,
        post: (text) => x.tweet(text),
        maxRateLimitWaitMs: deps.maxRateLimitWaitMs,
        recent,
        now: deps.now,
        sleep: deps.sleep,
        log,
      });
      log('post_outcome', { ...post, dryRun: deps.dryRun });
      let mentions: ReplyOutcome | { error: string } | undefined;
      if (deps.replyToMentions && post.status !== 'rate_limited') {
        mentions = await replyToMentions({
          x,
          store: deps.store,
          replies: deps.replies,
          maxReplies: deps.maxRepliesPerRun,
          recent,
          log,
        }).catch((error: unknown) => {
          // A failed reply run must not hide a successful post; it is reported beside it.
          log('mentions_failed', { error: (error as Error).message });
          return { error: (error as Error).message };
        });
      }
      const body = { ...post, ...(deps.dryRun ? { dryRun: true } : {}), ...(mentions ? { mentions } : {}) };
      if (post.status === 'rate_limited' && post.retryAt) {
        res.set('retry-after', String(Math.max(1, Math.ceil((Date.parse(post.retryAt) - (deps.now ?? Date.now)()) / 1000))));
      }
      res.status(statusFor(post)).json(body);
    } catch (error) {
      const { status, kind } = classify(error);
      log('post_failed', { kind, error: (error as Error).message });
      res.status(status).json({ status: kind, error: { message: (error as Error).message } });
    }
  };
}

/** Curated mode's two halves: the scheduled run that drafts, and the Bolt receiver for the clicks. */
function curatorFor(deps: TwitterDeps, curated: CuratedDeps, x: XApi, recent: RecentPosts): { run: () => Promise<CuratedRunOutcome>; receiver: HTTPReceiver } {
  const ledger = createDraftLedger(deps.store, { now: deps.now });
  const draw = () => drawCandidates(deps.replies, deps.tweetPrompt, curated.candidates, { recent, log: deps.log });
  const actions = createCuratedActions({ ledger, slack: curated.slack, x, draw, channel: curated.channel, draftTtlMs: curated.draftTtlMs, disclosure: deps.disclosure, recent, log: deps.log });
  return {
    run: () =>
      runCurated({ draw, channel: curated.channel, draftTtlMs: curated.draftTtlMs, disclosure: deps.disclosure, ledger, slack: curated.slack, log: deps.log }),
    receiver: createCuratorApp({ signingSecret: curated.signingSecret, botToken: curated.botToken, actions, log: deps.log }),
  };
}

function classify(error: unknown): { status: number; kind: string } {
  if (isModelError(error)) return { status: 503, kind: 'model_unavailable' };
  if (error instanceof CuratorSlackError) return { status: 502, kind: 'slack_error' };
  if (error instanceof XApiError) return { status: 502, kind: 'x_error' };
  if (error instanceof KeyValueStoreError) return { status: 503, kind: 'store_unavailable' };
  return { status: 500, kind: 'internal_error' };
}
