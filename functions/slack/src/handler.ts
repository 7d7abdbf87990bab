/**
 * The functions-framework HTTP handler: refuses requests dated too far in the future, builds the Bolt app on
 * the first request (after resolving the bot's identity) and hands each request to its receiver. Paths
 * other than `/` and `/slack/events` get a 404 (Bolt's HTTPReceiver throws for them, which
 * functions-framework would turn into a 500 "crash"). Everything it uses is passed in.
 */
import type { HttpFunction } from '@google-cloud/functions-framework';
import type { KeyValueStore, Log, ReplyLoop } from '@mimicbot/functions-shared';
import { HTTPReceiverDeferredRequestError, type HTTPReceiver } from '@slack/bolt';
import { resolveBotIdentity } from './bot-identity.js';
import { composeReply } from './compose-reply.js';
import type { SlackSettings } from './config.js';
import { createMessageClaims } from './message-claims.js';
import { futureTimestampProblem } from './request-timestamp.js';
import { createSlackApp } from './slack-app.js';

export interface SlackDeps extends SlackSettings {
  /** With the Slack steps (slackSteps) around the shared ones. */
  replies: ReplyLoop;
  store: KeyValueStore;
  /** The Web API base URL, resolved on the first request; Slack's own when it resolves to undefined. */
  slackApiUrl: () => Promise<string | undefined>;
  log: Log;
  now?: () => number;
  /** Releases what the deps hold besides the store (a dry run's local Web API). */
  close?: () => Promise<void>;
}

export interface SlackHandler {
  handle: HttpFunction;
  close(): Promise<void>;
}

export function createSlackHandler(deps: SlackDeps): SlackHandler {
  const now = deps.now ?? Date.now;
  const claims = createMessageClaims(deps.store, deps);

  let receiver: Promise<HTTPReceiver> | undefined;
  function ready(): Promise<HTTPReceiver> {
    if (!receiver) {
      receiver = (async () => {
        const slackApiUrl = await deps.slackApiUrl();
        const identity = await resolveBotIdentity({ ...deps, slackApiUrl });
        return createSlackApp({ ...deps, slackApiUrl, identity, claims, composeReply: (prompt) => composeReply(prompt, deps) }).receiver;
      })();
      // A failed start is retried on the next request rather than remembered.
      receiver.catch(() => (receiver = undefined));
    }
    return receiver;
  }

  const handle: HttpFunction = async (req, res) => {
    const future = futureTimestampProblem(req.headers['x-slack-request-timestamp'], now());
    if (future) {
      deps.log('request_refused', { reason: 'timestamp_in_future' });
      res.status(401).json({ error: { message: future, field: 'x-slack-request-timestamp' } });
      return;
    }
    let current: HTTPReceiver;
    try {
      current = await ready();
    } catch (error) {
      deps.log('start_failed', { error: (error as Error).message });
      // 503, not 200: Slack retries the event later instead of it being dropped.
      res.status(503).json({ error: { message: 'the Slack function could not start; see its logs', type: 'unavailable' } });
      return;
    }
    try {
      current.requestListener(req, res);
    } catch (error) {
      if (!(error instanceof HTTPReceiverDeferredRequestError)) throw error;
      res.status(404).json({ error: { message: `no Slack endpoint at ${req.method} ${req.path}; use POST / or POST /slack/events`, type: 'not_found' } });
    }
  };

  return {
    handle,
    close: async () => {
      await deps.store.close();
      await deps.close?.();
    },
  };
}
