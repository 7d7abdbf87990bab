/** Builds the handler's dependencies from the parsed config: the reply loop, store, X and verifier. */
import { createKeyValueStore, googleIdTokenVerifier, jsonLog, replyLoopFromConfig, type Log } from '@mimicbot/functions-shared';
import type { TwitterConfig } from './config.js';
import type { TwitterDeps } from './handler.js';
import { TWEET_STEPS } from './tweet-steps.js';
import { createTwitterApi, createXApi } from './x-client.js';

export function twitterDepsFromConfig(config: TwitterConfig, log: Log = jsonLog): TwitterDeps {
  const { shared, x: credentials, xApiUrl, trigger, ...settings } = config;
  return {
    ...settings,
    replies: replyLoopFromConfig(shared, { maxDraws: settings.maxAttempts, surface: TWEET_STEPS }),
    store: createKeyValueStore(shared.store, 'twitter', log),
    x: credentials ? createXApi(createTwitterApi(credentials, xApiUrl)) : undefined,
    trigger: {
      secret: trigger.secret,
      serviceAccount: trigger.serviceAccount,
      verifier: trigger.audience ? googleIdTokenVerifier(trigger.audience) : undefined,
    },
    log,
  };
}
