/**
 * The functions-framework HTTP handler: builds the Bolt app on the first request (after resolving the bot's
 * identity) and hands each request to its receiver. Paths other than `/` and `/slack/events` get a 404
 * (Bolt's HTTPReceiver throws for them, which functions-framework would turn into a 500 "crash").
 */
import type { HttpFunction } from '@google-cloud/functions-framework';
import {
  createKeyValueStore,
  modelClientFromConfig,
  outputFilterFromConfig,
  type KeyValueStore,
  type ModelClient,
} from '@mimicbot/functions-shared';
import { HTTPReceiverDeferredRequestError, type HTTPReceiver } from '@slack/bolt';
import { resolveBotIdentity } from './bot-identity.js';
import { composeReply } from './compose-reply.js';
import type { SlackConfig } from './config.js';
import { createMessageClaims } from './message-claims.js';
import { createSlackApp } from './slack-app.js';

export interface SlackHandler {
  handle: HttpFunction;
  close(): Promise<void>;
}

export function createSlackHandler(config: SlackConfig, deps: { store?: KeyValueStore; model?: ModelClient } = {}): SlackHandler {
  const store = deps.store ?? createKeyValueStore({ redisUrl: config.redisUrl });
  const model = deps.model ?? modelClientFromConfig(config);
  const filter = outputFilterFromConfig(config);
  const claims = createMessageClaims(store, config);

  let receiver: Promise<HTTPReceiver> | undefined;
  function ready(): Promise<HTTPReceiver> {
    if (!receiver) {
      receiver = resolveBotIdentity(config).then(
        (identity) =>
          createSlackApp({
            ...config,
            identity,
            claims,
            composeReply: (prompt) => composeReply(prompt, { model, filter, generation: config.generation, includePrompt: config.includePrompt }),
          }).receiver,
      );
      // A failed start is retried on the next request rather than remembered.
      receiver.catch(() => (receiver = undefined));
    }
    return receiver;
  }

  const handle: HttpFunction = async (req, res) => {
    let current: HTTPReceiver;
    try {
      current = await ready();
    } catch (error) {
      console.error(`slack: cannot start: ${(error as Error).message}`);
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

  return { handle, close: () => store.close() };
}
