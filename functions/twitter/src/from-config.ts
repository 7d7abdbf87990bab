/** Builds the handler's dependencies from the parsed config: the reply loop, store, X and verifier. */
import { createKeyValueStore, googleIdTokenVerifier, jsonLog, replyLoopFromConfig, type Log } from '@mimicbot/functions-shared';
import type { TwitterConfig } from './config.js';
import type { TwitterDeps } from './handler.js';
import { createCuratorSlack } from './curator-slack.js';
import { tweetSteps } from './tweet-steps.js';
import { createTwitterApi, createXApi } from './x-client.js';

export function twitterDepsFromConfig(config: TwitterConfig, log: Log = jsonLog): TwitterDeps {
  const { shared, x: credentials, xApiUrl, trigger, curated, ...settings } = config;
  return {
    ...settings,
    replies: replyLoopFromConfig(shared, { maxDraws: settings.maxAttempts, surface: tweetSteps(settings.disclosure) }),
    store: createKeyValueStore(shared.store, 'twitter', log),
    x: credentials ? createXApi(createTwitterApi(credentials, xApiUrl)) : undefined,
    trigger: {
      secret: trigger.secret,
      serviceAccount: trigger.serviceAccount,
      verifier: trigger.audience ? googleIdTokenVerifier(trigger.audience) : undefined,
    },
    curated: curated && {
      channel: curated.channel,
      candidates: curated.candidates,
      draftTtlMs: curated.draftTtlMs,
      signingSecret: curated.signingSecret,
      botToken: curated.botToken,
      slack: createCuratorSlack(curated.botToken, curated.slackApiUrl),
    },
    log,
  };
}
