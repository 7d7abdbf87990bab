/** Builds the handler's dependencies from the parsed config: the real model client, store, X and verifier. */
import { createKeyValueStore, jsonLog, modelClientFromConfig, outputFilterFromConfig } from '@mimicbot/functions-shared';
import type { TwitterConfig } from './config.js';
import type { TwitterDeps } from './handler.js';
import { googleIdTokenVerifier } from './trigger-auth.js';
import { createTwitterApi, createXApi } from './x-client.js';

export function twitterDepsFromConfig(config: TwitterConfig): TwitterDeps {
  const { shared, x: credentials, xApiUrl, trigger, ...settings } = config;
  return {
    ...settings,
    model: modelClientFromConfig(shared),
    filter: outputFilterFromConfig(shared),
    store: createKeyValueStore({ redisUrl: shared.redisUrl, keyPrefix: 'mimicbot:twitter:' }),
    x: credentials ? createXApi(createTwitterApi(credentials, xApiUrl)) : undefined,
    trigger: {
      secret: trigger.secret,
      serviceAccount: trigger.serviceAccount,
      verifier: trigger.audience ? googleIdTokenVerifier(trigger.audience) : undefined,
    },
    generation: shared.generation,
    log: jsonLog,
  };
}
