/**
 * The Slack queue on the Pub/Sub emulator, for running the Slack function locally as it runs on Google
 * Cloud: creates the topic SLACK_TOPIC and a push subscription that delivers to the function's worker, with
 * production's retry policy (backoff 10 s to 600 s) and ack deadline (300 s). Running it again points the
 * subscription at the endpoint given. `npm run dev` does this itself.
 *
 *   PUBSUB_EMULATOR_HOST=127.0.0.1:8682 GOOGLE_CLOUD_PROJECT=demo-mimicbot SLACK_TOPIC=mimicbot-slack-events \
 *     npx tsx scripts/slack-queue-local.ts [worker URL, default http://127.0.0.1:8081/slack/worker]
 */
import { createPushSubscription, localSlackSubscription } from '@mimicbot/functions-shared/testing';

async function main(): Promise<void> {
  const { PUBSUB_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project, SLACK_TOPIC: topic } = process.env;
  const missing = Object.entries({ PUBSUB_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project, SLACK_TOPIC: topic })
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) {
    console.error(`slack-queue-local: set ${missing.join(', ')} (e.g. PUBSUB_EMULATOR_HOST=127.0.0.1:8682 GOOGLE_CLOUD_PROJECT=demo-mimicbot SLACK_TOPIC=mimicbot-slack-events)`);
    process.exit(2);
  }
  const endpoint = process.argv[2] ?? 'http://127.0.0.1:8081/slack/worker';
  if (!/^https?:\/\/[^/]+\/slack\/worker$/.test(endpoint)) {
    console.error(`slack-queue-local: the worker URL must end in /slack/worker, got ${JSON.stringify(endpoint)}`);
    process.exit(2);
  }
  const subscription = localSlackSubscription(topic!, endpoint);
  try {
    await createPushSubscription(host!, project!, subscription);
  } catch (error) {
    console.error(`slack-queue-local: ${(error as Error).message} (is the emulator running? gcloud beta emulators pubsub start --host-port=${host})`);
    process.exit(1);
  }
  console.log(`topic ${topic} -> subscription ${subscription.name} -> ${endpoint} (project ${project}, emulator ${host})`);
}

await main();
