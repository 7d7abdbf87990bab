/** Builds the Slack handler's dependencies from the parsed config: the reply loop, store and Web API. */
import { createKeyValueStore, jsonLog, replyLoopFromConfig, type Log } from '@mimicbot/functions-shared';
import { slackSteps } from './compose-reply.js';
import type { SlackConfig } from './config.js';
import type { SlackDeps } from './handler.js';
import { startLocalSlackApi, type LocalSlackApi, type SlackApiCall } from './local-slack-api.js';

/** Slack tries an answer this many times when drafts are empty or filtered. */
const MAX_DRAWS = 3;

export function slackDepsFromConfig(config: SlackConfig): SlackDeps {
  const { shared, slackApiUrl, dryRun, includePrompt, ...settings } = config;
  const local = dryRun ? localWebApi(jsonLog) : undefined;
  return {
    ...settings,
    replies: replyLoopFromConfig(shared, { maxDraws: MAX_DRAWS, surface: slackSteps(includePrompt) }),
    store: createKeyValueStore(shared.store, 'slack'),
    slackApiUrl: local ? async () => (await local.start()).url : async () => slackApiUrl,
    log: jsonLog,
    close: local?.close,
  };
}

/** DRY_RUN's Web API: started on first use, logging each message the bot would have posted. */
function localWebApi(log: Log) {
  let started: Promise<LocalSlackApi> | undefined;
  const logPost = (call: SlackApiCall) => {
    if (call.method === 'chat.postMessage') log('dry_run_post', { channel: call.params.channel, threadTs: call.params.thread_ts, text: call.params.text });
  };
  return {
    start: () => (started ??= startLocalSlackApi({ onCall: logPost })),
    close: async () => {
      await (await started)?.close();
    },
  };
}
