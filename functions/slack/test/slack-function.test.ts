/**
 * The Slack function end to end: each instance is its own process serving the function through
 * functions-framework's real server (scripts/serve-function.ts), requests are signed as Slack signs them,
 * the Web API is a fake on 127.0.0.1, the model is the mimicbot server, and shared state is a real redis-server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  functionStartFailure,
  startFunctionProcess,
  startRedisServer,
  startTinyModelServer,
  type FunctionProcess,
  type RunningModelServer,
  type RunningRedis,
} from '@mimicbot/functions-shared/testing';
import { APOLOGIES } from '../src/compose-reply.js';
import { FakeSlackApi, type SlackApiCall } from './fake-slack-api.js';
import { appMention, BOT_ID, BOT_USER, directMessage, envelope, nextTs, urlVerification } from './slack-events.js';
import { retryHeaders, slackSignedHeaders } from '@mimicbot/slack/testing';

const SECRET = 'test-signing-secret';
const MODEL_KEY = 'functions-key';
const slack = new FakeSlackApi();
let model: RunningModelServer; // the real mimicbot server, tiny random model, API key required
let redis: RunningRedis;
let plain: FunctionProcess; // memory store, bot ids from auth.test
let modelDown: FunctionProcess;
let sharedA: FunctionProcess; // these two share Redis
let sharedB: FunctionProcess;
let dryRun: FunctionProcess; // DRY_RUN=1: its own local Web API, no token, no ids
const started: FunctionProcess[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LEASE_MS = 8000;

beforeAll(async () => {
  [model, redis] = await Promise.all([startTinyModelServer({ API_KEYS: MODEL_KEY }), startRedisServer(), slack.start()]).then(([m, r]) => [m, r] as const);
  const base = {
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: slack.url,
    MODEL_ENDPOINT: model.url,
    REQUEST_TOKEN: MODEL_KEY,
    MAX_TOKENS: '16',
    LOG_LEVEL: 'error',
  };
  const ids = { SLACK_BOT_USER_ID: BOT_USER, SLACK_BOT_ID: BOT_ID };
  // A lease longer than one attempt takes here (a generation on a busy machine), short enough to wait out.
  // One draft a draw: these two pin the claims across instances, and a reply must finish well inside the
  // short lease even on a loaded machine (four drafts a draw took 8 s here with two cores shared).
  const shared = { ...base, ...ids, REDIS_URL: redis.url, SLACK_LEASE_MS: String(LEASE_MS), GATE_CANDIDATES: '1' };
  const { SLACK_BOT_TOKEN: _token, SLACK_API_URL: _api, ...dry } = base;
  // Each process is remembered as soon as it is up, so afterAll stops it even when another failed to start.
  const start = (env: Record<string, string>) => startFunctionProcess('slack', env).then((fn) => (started.push(fn), fn));
  [plain, modelDown, sharedA, sharedB, dryRun] = await Promise.all([
    start(base),
    start({ ...base, ...ids, MODEL_ENDPOINT: `http://127.0.0.1:${await freePort()}`, MODEL_RETRIES: '0' }),
    start(shared),
    start(shared),
    start({ ...dry, DRY_RUN: '1' }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all(started.map((fn) => fn.stop()));
  await Promise.all([model?.stop(), redis?.stop(), slack.stop()]);
});

interface Delivery {
  path?: string;
  retry?: number;
  secret?: string;
  timestampSec?: number;
  tamper?: (raw: string) => string;
}

async function deliver(fn: FunctionProcess, payload: unknown, options: Delivery = {}): Promise<{ status: number; body: string }> {
  const raw = JSON.stringify(payload);
  const headers = { ...slackSignedHeaders(raw, options.secret ?? SECRET, options.timestampSec), ...(options.retry ? retryHeaders(options.retry) : {}) };
  const response = await fetch(new URL(options.path ?? '/', fn.url), { method: 'POST', headers, body: options.tamper ? options.tamper(raw) : raw });
  return { status: response.status, body: await response.text() };
}

const inChannel = (channel: string) => (call: SlackApiCall) => call.params.channel === channel;
const methodsIn = (channel: string) => slack.calls.filter(inChannel(channel)).map((c) => c.method);
let channelCount = 0;
const freshChannel = (prefix = 'C') => `${prefix}0TEST${++channelCount}`;

describe('requests that are not Slack events for the bot', () => {
  it('answers url_verification with its challenge when signed', async () => {
    const response = await deliver(plain, urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('refuses bad and stale signatures with 401 and does nothing', async () => {
    const channel = freshChannel();
    const event = envelope(appMention({ text: `<@${BOT_USER}> hello`, channel }));
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await deliver(plain, event, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await deliver(plain, event, { timestampSec: stale })).status).toBe(401);
    expect((await deliver(plain, event, { tamper: (raw) => raw.replace('hello', 'hellO') })).status).toBe(401);
    expect((await deliver(plain, urlVerification('x'), { secret: 'not-the-secret' })).status).toBe(401);
    const unsigned = await fetch(plain.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(unsigned.status).toBe(401);
    expect(methodsIn(channel)).toEqual([]);
  });

  it('refuses a correctly signed request dated more than 5 minutes in the future, and allows clock skew within 5', async () => {
    const channel = freshChannel();
    const future = Math.floor(Date.now() / 1000) + 6 * 60;
    const refused = await deliver(plain, envelope(appMention({ text: `<@${BOT_USER}> from the future`, channel })), { timestampSec: future });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { field: 'x-slack-request-timestamp', message: expect.stringMatching(/in the future/) } });
    expect(methodsIn(channel)).toEqual([]);

    const skewed = Math.floor(Date.now() / 1000) + 4 * 60;
    expect((await deliver(plain, envelope(appMention({ text: `<@${BOT_USER}> slightly ahead`, channel })), { timestampSec: skewed })).status).toBe(200);
    expect(slack.posts(channel)).toHaveLength(1);
  });

  it('answers 404 on paths other than / and /slack/events', async () => {
    expect((await deliver(plain, urlVerification('x'), { path: '/other' })).status).toBe(404);
  });
});

describe('answering', () => {
  it('replies to a channel mention in a thread under it, with a reaction while generating', async () => {
    const channel = freshChannel();
    const mention = appMention({ text: `<@${BOT_USER}> tell me about cats`, channel });
    const response = await deliver(plain, envelope(mention), { path: '/slack/events' });
    expect(response.status).toBe(200);
    expect(methodsIn(channel)).toEqual(['reactions.add', 'chat.postMessage', 'reactions.remove']);
    const [add, post, remove] = slack.calls.filter(inChannel(channel));
    expect(add.params).toMatchObject({ name: 'thinking_face', channel, timestamp: mention.ts });
    expect(remove.params).toMatchObject({ name: 'thinking_face', channel, timestamp: mention.ts });
    expect(post.params).toMatchObject({ channel, thread_ts: mention.ts });
    // The prompt in italics, then the model's words, never glued onto it (compose-reply.ts).
    expect(post.params.text).toMatch(/^_tell me about cats_(\s|[^\p{L}\p{N}])/u);
    expect(post.params.text.length).toBeGreaterThan('_tell me about cats_ '.length);
    expect(post.authorization).toBe('Bearer xoxb-test-token');
    // No ids in this instance's config: it asked auth.test who it is.
    expect(slack.calls.some((c) => c.method === 'auth.test')).toBe(true);
  });

  it('replies inside the thread the mention was posted in', async () => {
    const channel = freshChannel();
    const parent = nextTs();
    const mention = appMention({ text: `<@${BOT_USER}> and you?`, channel, threadTs: parent });
    expect((await deliver(plain, envelope(mention))).status).toBe(200);
    expect(slack.posts(channel).map((c) => c.params.thread_ts)).toEqual([parent]);
  });

  it('says an unprompted line when the mention has no text', async () => {
    const channel = freshChannel();
    expect((await deliver(plain, envelope(appMention({ text: `<@${BOT_USER}>`, channel })))).status).toBe(200);
    expect(slack.posts(channel)).toHaveLength(1);
    expect(slack.posts(channel)[0].params.text.length).toBeGreaterThan(0);
  });

  it('answers a DM, once even when a DM mention arrives as two events', async () => {
    const channel = freshChannel('D');
    const dm = directMessage({ text: 'hi bot', channel });
    expect((await deliver(plain, envelope(dm))).status).toBe(200);
    expect(slack.posts(channel)).toHaveLength(1);
    expect(slack.posts(channel)[0].params.thread_ts).toBeUndefined();

    const ts = nextTs();
    const both = await Promise.all([
      deliver(plain, envelope(directMessage({ text: `<@${BOT_USER}> again`, channel, ts }))),
      deliver(plain, envelope(appMention({ text: `<@${BOT_USER}> again`, channel, ts }))),
    ]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(slack.posts(channel)).toHaveLength(2);
  });

  it('never answers itself or other bots', async () => {
    const channel = freshChannel();
    const dmChannel = freshChannel('D');
    const deliveries = [
      envelope(appMention({ text: `<@${BOT_USER}> talking to myself`, channel, user: BOT_USER })),
      envelope(appMention({ text: `<@${BOT_USER}> beep`, channel, user: 'U0OTHERBOT', botId: 'B0OTHER' })),
      envelope({ ...directMessage({ text: 'beep boop', channel: dmChannel, user: 'U0OTHERBOT' }), subtype: 'bot_message', bot_id: 'B0OTHER' }),
      envelope({ ...directMessage({ text: 'my own reply', channel: dmChannel, user: BOT_USER }), bot_id: BOT_ID }),
    ];
    for (const payload of deliveries) expect((await deliver(plain, payload)).status).toBe(200);
    expect(methodsIn(channel)).toEqual([]);
    expect(methodsIn(dmChannel)).toEqual([]);
  });

  it('replies with a short friendly error in the thread when the model server is down', async () => {
    const channel = freshChannel();
    const mention = appMention({ text: `<@${BOT_USER}> are you there?`, channel });
    expect((await deliver(modelDown, envelope(mention))).status).toBe(200);
    expect(slack.posts(channel).map((c) => c.params)).toEqual([expect.objectContaining({ thread_ts: mention.ts, text: APOLOGIES.model_unavailable })]);
  });
});

describe("Slack's retries", () => {
  it('acknowledges retries 1-3 that arrive while the first attempt runs, and replies once', async () => {
    const channel = freshChannel();
    slack.stallWhen((c) => c.method === 'reactions.add' && c.params.channel === channel, 1500);
    const event = envelope(appMention({ text: `<@${BOT_USER}> slow one`, channel }));
    let firstDone = false;
    const first = deliver(plain, event).then((r) => ((firstDone = true), r));
    await sleep(300);
    for (const retry of [1, 2, 3]) {
      expect((await deliver(plain, event, { retry })).status).toBe(200);
    }
    expect(firstDone).toBe(false);
    expect((await first).status).toBe(200);
    expect(slack.posts(channel)).toHaveLength(1);
    // And a late retry after the reply is also just acknowledged.
    expect((await deliver(plain, event, { retry: 3 })).status).toBe(200);
    expect(slack.posts(channel)).toHaveLength(1);
  });

  it('lets a retry do the work when the first attempt failed', async () => {
    const channel = freshChannel();
    slack.failWhen((c) => c.method === 'chat.postMessage' && c.params.channel === channel, { ok: false, error: 'internal_error' });
    const event = envelope(appMention({ text: `<@${BOT_USER}> second time lucky`, channel }));
    expect((await deliver(plain, event)).status).toBe(500);
    expect((await deliver(plain, event, { retry: 1 })).status).toBe(200);
    expect(slack.posts(channel)).toHaveLength(2); // the failed one, then the reply
    expect((await deliver(plain, event, { retry: 2 })).status).toBe(200);
    expect(slack.posts(channel)).toHaveLength(2);
  });
});

describe('two instances sharing Redis', () => {
  it('reply once to an event whose retry lands on the other instance while the first runs', async () => {
    const channel = freshChannel();
    slack.stallWhen((c) => c.method === 'reactions.add' && c.params.channel === channel, 800);
    const event = envelope(appMention({ text: `<@${BOT_USER}> who answers?`, channel }));
    const first = deliver(sharedA, event);
    await sleep(200);
    expect((await deliver(sharedB, event, { retry: 1 })).status).toBe(200);
    expect((await first).status).toBe(200);
    expect(slack.posts(channel)).toHaveLength(1);
  });

  it('reply once to the two events of a DM mention split across instances', async () => {
    const channel = freshChannel('D');
    const ts = nextTs();
    await Promise.all([
      deliver(sharedA, envelope(directMessage({ text: `<@${BOT_USER}> hey`, channel, ts }))),
      deliver(sharedB, envelope(appMention({ text: `<@${BOT_USER}> hey`, channel, ts }))),
    ]);
    expect(slack.posts(channel)).toHaveLength(1);
  });

  it("take over a crashed attempt once its lease lapses, and not before", async () => {
    const channel = freshChannel();
    // Instance A hangs at its first Web API call; then it dies as a crashed or frozen instance would.
    slack.stallWhen((c) => c.method === 'reactions.add' && c.params.channel === channel, 60_000);
    const event = envelope(appMention({ text: `<@${BOT_USER}> still there?`, channel }));
    const first = deliver(sharedA, event).catch((error: Error) => ({ status: 0, body: error.message }));
    while (!slack.calls.some((c) => c.method === 'reactions.add' && c.params.channel === channel)) await sleep(20);
    await sharedA.stop('SIGKILL');
    expect((await first).status).toBe(0);

    expect((await deliver(sharedB, event, { retry: 1 })).status).toBe(200);
    expect(slack.posts(channel)).toHaveLength(0);
    await sleep(LEASE_MS + 200);
    slack.reset();
    expect((await deliver(sharedB, event, { retry: 2 })).status).toBe(200);
    expect(slack.posts(channel)).toHaveLength(1);
  });
});

describe('DRY_RUN', () => {
  it('answers through its own local Web API and prints what it would have posted, reaching no Slack', async () => {
    const channel = freshChannel();
    const mention = appMention({ text: `<@${BOT_USER}> say something`, channel });
    const response = await deliver(dryRun, envelope(mention));
    expect(response.status).toBe(200);
    // It learned who it is from the local auth.test (no ids configured) and answered the mention.
    const line = dryRun
      .output()
      .split('\n')
      .find((l) => l.includes('"dry_run_post"') && l.includes(channel));
    expect(line).toBeDefined();
    const logged = JSON.parse(line!);
    expect(logged).toMatchObject({ severity: 'INFO', message: 'dry_run_post', channel, threadTs: mention.ts });
    expect(logged.text.startsWith('_say something_')).toBe(true);
    // The test's Web API, which the other instances use, saw nothing of it.
    expect(methodsIn(channel)).toEqual([]);
  });
});

describe('start-up with a bad environment (functions-framework\'s own CLI, as npm start runs it)', () => {
  it('prints every problem, one line each naming the variable, and exits non-zero without a stack trace', async () => {
    const { code, output } = await functionStartFailure(
      'slack',
      { MODEL_ENDPOINT: 'localhost:8080', SLACK_BOT_TOKEN: 'xoxp-user-token', MAX_TOKENS: 'lots' },
      'functions-framework',
    );
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toEqual([
      'slack: cannot start: 4 problems with its environment variables:',
      '  MODEL_ENDPOINT: must be a URL starting with http:// or https://, got "localhost:8080" (did you mean http://localhost:8080?)',
      '  MAX_TOKENS: must be an integer from 1 to 1024, got "lots"',
      '  SLACK_BOT_TOKEN: must be a bot token (starts with xoxb-)',
      expect.stringMatching(/^  SLACK_SIGNING_SECRET: is required \(app settings > Basic Information/),
    ]);
    expect(output).not.toContain("Provided module can't be loaded");
    // Secrets never reach the output, even a wrong one.
    expect(output).not.toContain('xoxp-user-token');
  });
});
