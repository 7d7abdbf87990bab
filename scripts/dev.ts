/**
 * `npm run dev`: the whole bot on this machine. Starts the inference server and the functions on fixed
 * ports, prefixes each one's output with its name, prints the URLs once all are up, and stops them all on
 * Ctrl-C (or when one of them dies).
 *
 *   server  http://127.0.0.1:8080   (MODEL_DIR, or the server's default model)
 *   slack   http://127.0.0.1:8081/  (signed Slack events; DRY_RUN=1 unless SLACK_BOT_TOKEN is set: replies are
 *                                     printed by a local Slack Web API in the function, nothing reaches Slack)
 *   twitter http://127.0.0.1:8082/  (DRY_RUN=1: logs the tweet instead of posting)
 *   demo    http://127.0.0.1:8083/  (open in a browser)
 *   discord http://127.0.0.1:8084/  (interactions signed with the dev key, scripts/discord-dev-key.ts; DRY_RUN: the
 *                                     answers it would edit in are printed; `npm run discord:try -- "prompt"` sends one)
 *
 * Functions run through scripts/serve-function.ts (functions-framework's server on 127.0.0.1). Anything set
 * in the environment wins over the dev defaults below, except DRY_RUN: always on for twitter, and on for
 * slack unless a real SLACK_BOT_TOKEN is in the environment; always on for discord.
 *
 * State and the Slack queue as on Google Cloud: the Firestore and Pub/Sub emulators (127.0.0.1:8681 and
 * :8682, or the ones FIRESTORE_EMULATOR_HOST and PUBSUB_EMULATOR_HOST point at) hold the store, and Slack's
 * work goes through the topic mimicbot-slack-events to the function's /slack/worker, retried as production
 * retries it. Without the emulators installed, the functions keep their state in memory and Slack answers
 * inside its request; a line says so. Discord's work goes through mimicbot-discord-commands to its
 * /discord/worker the same way; it needs the queue, so without the emulators it is not started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createPushSubscription, gcpEmulatorsMissing, localSlackSubscription, startGcpEmulators, type RunningGcpEmulators } from '@mimicbot/functions-shared/testing';
import { DEV_DISCORD_PUBLIC_KEY } from './discord-dev-key.js';

const ROOT = resolve(import.meta.dirname, '..');
const MODEL_ENDPOINT = 'http://127.0.0.1:8080';
const DEV_SLACK_SECRET = 'dev-signing-secret';
const DEV_TRIGGER_SECRET = 'dev-trigger-secret';
const DEV_PROJECT = 'demo-mimicbot';
const DEV_TOPIC = 'mimicbot-slack-events';
const SLACK_WORKER_URL = 'http://127.0.0.1:8081/slack/worker';
const DISCORD_TOPIC = 'mimicbot-discord-commands';
const DISCORD_WORKER_URL = 'http://127.0.0.1:8084/discord/worker';

interface Service {
  name: string;
  port: number;
  args: string[];
  /** Defaults applied only where the environment has no value. */
  defaults: Record<string, string>;
  /** Always applied. */
  forced?: Record<string, string>;
  ready: RegExp;
}

/** The emulators this run uses: the environment's, ones started here, or none (not installed). */
async function emulators(): Promise<{ firestore: string; pubsub: string; started?: RunningGcpEmulators } | undefined> {
  const { FIRESTORE_EMULATOR_HOST: firestore, PUBSUB_EMULATOR_HOST: pubsub } = process.env;
  if (firestore && pubsub) return { firestore, pubsub };
  const missing = gcpEmulatorsMissing();
  if (missing) {
    process.stdout.write(`dev: no Google Cloud emulators (${missing}); the functions keep state in memory and Slack answers inside its request\n`);
    return undefined;
  }
  process.stdout.write('dev: starting the Firestore and Pub/Sub emulators (10-20 s)...\n');
  const started = await startGcpEmulators({ project: DEV_PROJECT, ports: { firestore: 8681, pubsub: 8682 } });
  // They run in process groups of their own, which Ctrl-C does not reach: stop them on the way out.
  const stopEarly = () => void started.stop().then(() => process.exit(130));
  process.once('SIGINT', stopEarly);
  process.once('SIGTERM', stopEarly);
  try {
    await started.ready();
  } catch (error) {
    process.stderr.write(`dev: ${(error as Error).message}\n`);
    await started.stop();
    process.exit(1);
  }
  process.off('SIGINT', stopEarly);
  process.off('SIGTERM', stopEarly);
  return { firestore: started.firestore, pubsub: started.pubsub, started };
}

const gcp = await emulators();
const project = process.env.GOOGLE_CLOUD_PROJECT ?? DEV_PROJECT;
const topic = process.env.SLACK_TOPIC ?? DEV_TOPIC;
/** Every function's store in the Firestore emulator; Slack's work through the Pub/Sub emulator. */
const storeDefaults: Record<string, string> = gcp ? { STORE: 'firestore', FIRESTORE_EMULATOR_HOST: gcp.firestore, GOOGLE_CLOUD_PROJECT: project, METADATA_SERVER_DETECTION: 'none' } : {};
const queueDefaults: Record<string, string> = gcp ? { PUBSUB_EMULATOR_HOST: gcp.pubsub, SLACK_TOPIC: topic, SLACK_WORKER_AUTH: 'none' } : {};

/** Without a real bot token, Slack runs dry: its Web API is a local stand-in inside the function (auth.test included). */
const slackIsReal = Boolean(process.env.SLACK_BOT_TOKEN);

/** What every function gets unless the environment says otherwise (MAX_TOKENS: the functions' own 60). */
const functionDefaults: Record<string, string> = { MODEL_ENDPOINT, ...storeDefaults };

const SERVICES: Service[] = [
  { name: 'server', port: 8080, args: ['server/src/main.ts'], defaults: {}, ready: /ready on port/ },
  {
    name: 'slack',
    port: 8081,
    args: ['scripts/serve-function.ts', 'slack'],
    defaults: { ...functionDefaults, ...queueDefaults, SLACK_SIGNING_SECRET: DEV_SLACK_SECRET },
    forced: { DRY_RUN: slackIsReal ? '0' : '1' },
    ready: /listening on/,
  },
  {
    name: 'twitter',
    port: 8082,
    args: ['scripts/serve-function.ts', 'twitter'],
    defaults: { ...functionDefaults, TRIGGER_SECRET: DEV_TRIGGER_SECRET },
    forced: { DRY_RUN: '1' },
    ready: /listening on/,
  },
  { name: 'demo', port: 8083, args: ['scripts/serve-function.ts', 'demo'], defaults: functionDefaults, ready: /listening on/ },
  // Discord's intake only publishes: without the Pub/Sub emulator there is nothing for it to do.
  ...(gcp
    ? [
        {
          name: 'discord',
          port: 8084,
          args: ['scripts/serve-function.ts', 'discord'],
          defaults: { ...functionDefaults, PUBSUB_EMULATOR_HOST: gcp.pubsub, DISCORD_TOPIC, DISCORD_WORKER_AUTH: 'none', DISCORD_PUBLIC_KEY: DEV_DISCORD_PUBLIC_KEY },
          forced: { DRY_RUN: '1' },
          ready: /listening on/,
        },
      ]
    : []),
];

const children = new Map<string, ChildProcess>();
let stopping = false;

function prefixLines(name: string, write: (line: string) => void) {
  let pending = '';
  return (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) write(`[${name.padEnd(7)}] ${line}\n`);
  };
}

function start(service: Service): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...service.defaults, ...process.env, ...service.forced, PORT: String(service.port) };
  const child = spawn(process.execPath, ['--import', 'tsx', ...service.args, String(service.port)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.set(service.name, child);
  return new Promise((resolveReady, reject) => {
    let seen = '';
    const watch = (chunk: Buffer) => {
      seen += chunk.toString();
      if (service.ready.test(seen)) {
        seen = '';
        resolveReady();
      }
    };
    child.stdout?.on('data', prefixLines(service.name, (line) => process.stdout.write(line)));
    child.stderr?.on('data', prefixLines(service.name, (line) => process.stderr.write(line)));
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.once('exit', (code, signal) => {
      children.delete(service.name);
      const why = `${service.name} exited (${signal ?? `code ${code}`})`;
      reject(new Error(why));
      if (!stopping) {
        process.stderr.write(`dev: ${why}; stopping the others\n`);
        void stopAll(1);
      }
    });
  });
}

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  const emulatorsStopped = gcp?.started?.stop();
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise<void>((done) => {
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(killer);
            done();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await emulatorsStopped;
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  // The server first: the functions can start without it, but the first requests would only get apologies.
  await start(SERVICES[0]);
  await Promise.all(SERVICES.slice(1).map(start));
  if (gcp) {
    await createPushSubscription(gcp.pubsub, project, localSlackSubscription(topic, SLACK_WORKER_URL));
    // Discord's subscription retries as deploy/terraform/discord.tf's does: backoff 10-60 s.
    await createPushSubscription(gcp.pubsub, project, { name: `${DISCORD_TOPIC}-worker`, topic: DISCORD_TOPIC, pushEndpoint: DISCORD_WORKER_URL, ackDeadlineSeconds: 300, minimumBackoff: '10s', maximumBackoff: '60s' });
  }
} catch (error) {
  // When a child died, its exit handler is already stopping the rest; either way no banner is printed.
  if (!stopping) process.stderr.write(`dev: ${(error as Error).message}\n`);
  await stopAll(1);
}

const slackSecret = process.env.SLACK_SIGNING_SECRET ?? DEV_SLACK_SECRET;
const triggerSecret = process.env.TRIGGER_SECRET ?? DEV_TRIGGER_SECRET;
process.stdout.write(`
mimicbot is running (Ctrl-C stops everything):
  server   ${MODEL_ENDPOINT}      POST /v1/completions, POST / (gpt-2-cloud-run), GET /healthz
  slack    http://127.0.0.1:8081/  Slack Events API (signing secret ${slackSecret === DEV_SLACK_SECRET ? `"${DEV_SLACK_SECRET}"` : 'from SLACK_SIGNING_SECRET'}); ${slackIsReal ? 'posts to Slack with SLACK_BOT_TOKEN' : 'DRY_RUN: replies are printed here, the bot is <@U0BOT>'}
  twitter  http://127.0.0.1:8082/  DRY_RUN: curl -X POST -H 'x-trigger-secret: ${triggerSecret === DEV_TRIGGER_SECRET ? DEV_TRIGGER_SECRET : '$TRIGGER_SECRET'}' http://127.0.0.1:8082/
  demo     http://127.0.0.1:8083/  open it in a browser
  discord  ${gcp ? 'http://127.0.0.1:8084/  DRY_RUN: npm run discord:try -- "tell me a secret"; the answer is printed here (dry_run_edit)' : 'not started: it needs the Pub/Sub emulator'}
${
  gcp
    ? `  state    Firestore emulator ${gcp.firestore}, Slack queue: topic ${topic} on the Pub/Sub emulator ${gcp.pubsub} -> ${SLACK_WORKER_URL}, Discord's: ${DISCORD_TOPIC} -> ${DISCORD_WORKER_URL} (project ${project})`
    : '  state    in memory (no emulators); Slack answers inside its request'
}
`);
