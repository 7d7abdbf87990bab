/** Builds the handler's dependencies from the parsed config: the real model client, store, X and verifier. */
import { createKeyValueStore, jsonLog, modelClientFromConfig, outputFilterFromConfig } from '@mimicbot/functions-shared';
import type { TwitterConfig } from './config.js';
import type { TwitterDeps } from './handler.js';
import { googleIdTokenVerifier } from './trigger-auth.js';
import { createTwitterApi, createXApi } from './x-client.js';

export function twitterDepsFromConfig(config: TwitterConfig): TwitterDeps {
  return {
    model: modelClientFromConfig(config.shared),
    filter: outputFilterFromConfig(config.shared),
    store: createKeyValueStore({ redisUrl: config.shared.redisUrl, keyPrefix: 'mimicbot:twitter:' }),
    x: config.x ? createXApi(createTwitterApi(config.x, config.xApiUrl)) : undefined,
    trigger: {
      secret: config.trigger.secret,
      serviceAccount: config.trigger.serviceAccount,
      verifier: config.trigger.audience ? googleIdTokenVerifier(config.trigger.audience) : undefined,
    },
    dryRun: config.dryRun,
    replyToMentions: config.replyToMentions,
    maxAttempts: config.maxAttempts,
    maxRateLimitWaitMs: config.maxRateLimitWaitMs,
    maxRepliesPerRun: config.maxRepliesPerRun,
    tweetPrompt: config.tweetPrompt,
    generation: config.shared.generation,
    log: jsonLog,
  };
}
