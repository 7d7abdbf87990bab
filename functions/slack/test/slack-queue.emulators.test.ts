/**
 * Slack through the queue, for real: each instance of the function is its own process (functions-framework's
 * server), the store is the Firestore emulator and the queue the Pub/Sub emulator (push subscriptions to each
 * instance's /slack/worker, with the emulator's own redelivery and backoff), requests are signed as Slack
 * signs them, and Slack's Web API is the local fake.
 *
 * Instances A and B share the emulators and a topic, each with its own push subscription: every message is
 * pushed to both at once, a harsher case than Pub/Sub's occasional duplicate. Their model takes 8 s per
 * completion. Instance C has its own topic, and its model server is the real one behind a port the test
 * opens and closes: closed, nothing listens there (connection refused, as when the server is down).
 *
 * Time is compressed: the retry window is 12 s and Pub/Sub's backoff 1-2 s, against production's 600 s
 * (SLACK_RETRY_WINDOW_MS) and 10-600 s; a 4 s outage here stands for a one-minute outage there.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPushSubscription,
  freePort,
  gcpEmulatorsForTests,
  startFunctionProcess,
  startStandInModel,
  startTinyModelServer,
  type FunctionProcess,
  type RunningModelServer,
  type StandInModel,
} from '@mimicbot/functions-shared/testing';
import { APOLOGIES } from '../src/compose-reply.js';
import { FakeSlackApi, type SlackApiCall } from './fake-slack-api.js';
import { appMention, BOT_ID, BOT_USER, envelope } from './slack-events.js';
import { retryHeaders, slackSignedHeaders } from '@mimicbot/slack/testing';

const SECRET = 'queue-signing-secret';
/** What Slack allows an events request. */
const SLACK_DEADLINE_MS = 3000;
/** Longer than one generation by the slow model (8 s) plus its overhead here. */
const LEASE_MS = 15_000;
const RETRY_WINDOW_MS = 12_000;

const slack = new FakeSlackApi();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const started: FunctionProcess[] = [];
let slowModel: StandInModel;
let model: RunningModelServer;
let modelGate: PortGate;
let a: FunctionProcess;
let b: FunctionProcess;
let c: FunctionProcess;
/** Every events request's time to answer, for the record. */
const answerTimes: number[] = [];

/** A port that forwards to `target` while open and refuses connections while closed. */
interface PortGate {
  port: number;
  open(): Promise<void>;
  close(): Promise<void>;
}

async function portGate(target: number): Promise<PortGate> {
  const port = await freePort();
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    port,
    open: () =>
      new Promise<void>((resolve) => {
        server = createServer((socket) => {
          const upstream = connect(target, '127.0.0.1');
          for (const end of [socket, upstream]) {
            sockets.add(end);
            end.on('close', () => sockets.delete(end));
            end.on('error', () => {});
          }
          socket.pipe(upstream).pipe(socket);
        });
        server.listen(port, '127.0.0.1', resolve);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!server) return resolve();
        server.close(() => resolve());
        server = undefined;
      }),
  };
}

beforeAll(async () => {
  const emulators = await gcpEmulatorsForTests();
  [slowModel, model] = await Promise.all([startStandInModel([], { firstByteDelayMs: 8000 }), startTinyModelServer(), slack.start()]);
  modelGate = await portGate(Number(new URL(model.url).port));
  const project = `demo-slack-queue-${process.pid}`;
  const env = (topic: string, modelEndpoint: string, extra: Record<string, string> = {}) => ({
    STORE: 'firestore',
    FIRESTORE_EMULATOR_HOST: emulators.firestore,
    PUBSUB_EMULATOR_HOST: emulators.pubsub,
    GOOGLE_CLOUD_PROJECT: project,
    METADATA_SERVER_DETECTION: 'none',
    SLACK_TOPIC: topic,
    SLACK_WORKER_AUTH: 'none',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'xoxb-queue-test',
    SLACK_API_URL: slack.url,
    SLACK_BOT_USER_ID: BOT_USER,
    SLACK_BOT_ID: BOT_ID,
    SLACK_LEASE_MS: String(LEASE_MS),
    SLACK_RETRY_WINDOW_MS: String(RETRY_WINDOW_MS),
    MODEL_ENDPOINT: modelEndpoint,
    MAX_TOKENS: '16',
    LOG_LEVEL: 'error',
    ...extra,
  });
  const start = (processEnv: Record<string, string>) => startFunctionProcess('slack', processEnv).then((fn) => (started.push(fn), fn));
  [a, b, c] = await Promise.all([
    start(env('slack-events', slowModel.url)),
    start(env('slack-events', slowModel.url)),
    // Down means refused at once; no retries inside one delivery, so each delivery is one try.
    start(env('slack-events-c', `http://127.0.0.1:${modelGate.port}`, { MODEL_RETRIES: '0' })),
  ]);
  const subscribe = (name: string, topic: string, fn: FunctionProcess) =>
    createPushSubscription(emulators.pubsub, project, { name, topic, pushEndpoint: new URL('slack/worker', fn.url).href, ackDeadlineSeconds: 60, minimumBackoff: '1s', maximumBackoff: '2s' });
  await Promise.all([subscribe('worker-a', 'slack-events', a), subscribe('worker-b', 'slack-events', b), subscribe('worker-c', 'slack-events-c', c)]);

  // One message through each instance first: a process's first Firestore and Pub/Sub calls load and connect
  // their clients (seconds here), which is a cold start, not what the 3 s below are about.
  await modelGate.open();
  await Promise.all([a, b, c].map((fn, i) => deliver(fn, envelope(appMention({ text: `<@${BOT_USER}> warm up`, channel: `C0WARM${i}` })))));
  await Promise.all([0, 1, 2].map((i) => waitFor(() => slack.posts(`C0WARM${i}`).length === 1, 60_000)));
  await modelGate.close();
  answerTimes.length = 0;
}, 240_000);

afterAll(async () => {
  console.log(`events requests answered in ${answerTimes.map((ms) => `${ms} ms`).join(', ')} (Slack allows ${SLACK_DEADLINE_MS} ms)`);
  await Promise.all(started.map((fn) => fn.stop('SIGKILL')));
  await modelGate?.close();
  await Promise.all([slowModel?.stop(), model?.stop(), slack.stop()]);
});

async function deliver(fn: FunctionProcess, payload: unknown, retry?: number): Promise<{ status: number; ms: number }> {
  const raw = JSON.stringify(payload);
  const startedAt = Date.now();
  const response = await fetch(new URL('/slack/events', fn.url), { method: 'POST', headers: { ...slackSignedHeaders(raw, SECRET), ...(retry ? retryHeaders(retry) : {}) }, body: raw });
  await response.text();
  const ms = Date.now() - startedAt;
  answerTimes.push(ms);
  return { status: response.status, ms };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

const inChannel = (channel: string) => (call: SlackApiCall) => call.params.channel === channel;

describe('Slack through Pub/Sub, with a model that takes 8 s per completion', () => {
  it("answers every delivery of Slack's within 3 s, first and retries, on either instance, and replies once in the thread", async () => {
    const channel = 'C0SLOW';
    const mention = appMention({ text: `<@${BOT_USER}> take your time`, channel });
    const event = envelope(mention);
    const callsBefore = slowModel.calls;
    const deliveries = [await deliver(a, event)];
    // Slack retries at once when it timed out, then about 1 and 5 minutes later; compressed here.
    for (const [retry, fn, waitMs] of [[1, b, 500], [2, a, 1000], [3, b, 1500]] as const) {
      await sleep(waitMs);
      deliveries.push(await deliver(fn, event, retry));
    }
    for (const delivery of deliveries) {
      expect(delivery.status).toBe(200);
      expect(delivery.ms).toBeLessThan(SLACK_DEADLINE_MS);
    }
    await waitFor(() => slack.posts(channel).length > 0, 60_000);
    // Both instances were pushed the message; give the second one time to come back and find it answered.
    await sleep(5000);
    expect(slack.posts(channel).map((call) => call.params.thread_ts)).toEqual([mention.ts]);
    expect(slack.posts(channel)[0].params.text).toMatch(/^_take your time_ /);
    expect(slack.calls.filter(inChannel(channel)).map((call) => call.method)).toEqual(['reactions.add', 'chat.postMessage', 'reactions.remove']);
    expect(slowModel.calls - callsBefore).toBe(1);
  });
});

describe('a model server that is down after the mention', () => {
  it('ends in one real reply, no apology, when it comes back within the retry window', async () => {
    const channel = 'C0OUTAGE';
    const mention = appMention({ text: `<@${BOT_USER}> are you awake?`, channel });
    expect((await deliver(c, envelope(mention))).status).toBe(200);
    await sleep(4000);
    expect(slack.posts(channel)).toEqual([]);
    await modelGate.open();
    await waitFor(() => slack.posts(channel).length > 0, 60_000);
    await sleep(3000);
    const posts = slack.posts(channel);
    expect(posts).toHaveLength(1);
    expect(posts[0].params.text).not.toBe(APOLOGIES.model_unavailable);
    expect(posts[0].params.text).toMatch(/^_are you awake\?_/);
    expect(posts[0].params.thread_ts).toBe(mention.ts);
  }, 120_000);

  it('ends in exactly one apology when it is still down past the retry window', async () => {
    await modelGate.close();
    const channel = 'C0DOWN';
    const mention = appMention({ text: `<@${BOT_USER}> hello?`, channel });
    const publishedAt = Date.now();
    expect((await deliver(c, envelope(mention))).status).toBe(200);
    await waitFor(() => slack.posts(channel).length > 0, 60_000);
    expect(Date.now() - publishedAt).toBeGreaterThanOrEqual(RETRY_WINDOW_MS);
    await sleep(4000);
    expect(slack.posts(channel).map((call) => call.params.text)).toEqual([APOLOGIES.model_unavailable]);
  }, 120_000);
});

describe('a worker that dies with the message in hand', () => {
  it('leaves it to the other instance once its lease lapses: one reply', async () => {
    const channel = 'C0CRASH';
    const event = envelope(appMention({ text: `<@${BOT_USER}> do not die on me`, channel }));
    expect((await deliver(a, event)).status).toBe(200);
    // Whichever instance took it is killed while its model call is running: after the claim, before posting.
    let holder: FunctionProcess | undefined;
    await waitFor(() => (holder = [a, b].find((fn) => fn.output().includes(`"slack_message_claimed","channel":"${channel}"`))) !== undefined, 30_000);
    await sleep(1000);
    await holder!.stop('SIGKILL');
    expect(slack.posts(channel)).toEqual([]);
    await waitFor(() => slack.posts(channel).length > 0, LEASE_MS + 60_000);
    await sleep(3000);
    expect(slack.posts(channel)).toHaveLength(1);
  }, 180_000);
});
