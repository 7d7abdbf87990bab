/**
 * The Slack function with a queue, in this process: the events endpoint publishes (to a recording
 * publisher standing in for Pub/Sub), and the worker endpoint takes pushes in Pub/Sub's wire format with
 * OIDC tokens signed like Google's and checked by the real google-auth-library, a model the test scripts
 * (down, then up), and the local Slack Web API. The real Pub/Sub and Firestore emulators, with the function
 * in its own processes, are in slack-queue.emulators.test.ts.
 */
import { OAuth2Client } from 'google-auth-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore, createOutputFilter, createReplyLoop, DEFAULT_GATE, googleIdTokenVerifier, ModelUnavailableError, replySteps } from '@mimicbot/functions-shared';
import { FakeGoogleCerts, runFunction, scriptedModel, type RunningFunction, type ScriptedChoice } from '@mimicbot/functions-shared/testing';
import { APOLOGIES, slackSteps } from '../src/compose-reply.js';
import { createSlackHandler, type SlackDeps } from '../src/handler.js';
import { messageKey, slackJobFromPush, type SlackJob } from '../src/slack-job.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { pushBody } from './pubsub-push.js';
import { appMention, BOT_ID, BOT_USER, directMessage, envelope, nextTs, TEAM } from './slack-events.js';
import { retryHeaders, slackSignedHeaders } from '@mimicbot/slack/testing';

const SECRET = 'test-signing-secret';
const AUDIENCE = 'https://mimicbot-slack-123456789012.europe-west1.run.app/slack/worker';
const PUSH_ACCOUNT = 'mimicbot-slack-push@demo-mimicbot.iam.gserviceaccount.com';
const slack = new FakeSlackApi();
const google = new FakeGoogleCerts();

let fn: RunningFunction | undefined;
let published: { data: string; attributes?: Record<string, string> }[];
let logs: string[];

beforeAll(async () => {
  await Promise.all([slack.start(), google.start()]);
});
afterAll(async () => {
  await Promise.all([slack.stop(), google.stop()]);
});
afterEach(async () => {
  await fn?.stop();
  fn = undefined;
  slack.reset();
});

const downError = () => new ModelUnavailableError('could not reach the model server: connect ECONNREFUSED', { attempts: 1 });

/** The handler with a queue; `model` scripts what each completion request gets. */
async function start(model: (ScriptedChoice[] | Error)[], options: { maxDeliveryAttempts?: number; retryWindowMs?: number } = {}) {
  published = [];
  logs = [];
  const scripted = scriptedModel(model);
  const deps: SlackDeps = {
    signingSecret: SECRET,
    botToken: 'xoxb-test-token',
    botUserId: BOT_USER,
    botId: BOT_ID,
    leaseMs: 5_000,
    doneTtlMs: 600_000,
    reaction: 'thinking_face',
    logLevel: 'error',
    replies: createReplyLoop({ model: scripted.model, generation: { maxTokens: 20, temperature: 0.9, topP: 0.95 }, steps: replySteps(createOutputFilter({}), { ...DEFAULT_GATE, minWords: 1 }, slackSteps(false)), maxDraws: 3 }),
    store: createMemoryStore(),
    slackApiUrl: async () => slack.url,
    queue: {
      publisher: { publish: async (data, attributes) => (published.push({ data, attributes }), String(published.length)) },
      auth: { kind: 'oidc', verifier: googleIdTokenVerifier(AUDIENCE, new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: google.certsUrl } })), serviceAccount: PUSH_ACCOUNT },
      maxDeliveryAttempts: options.maxDeliveryAttempts ?? 10,
      retryWindowMs: options.retryWindowMs ?? 600_000,
    },
    log: (event, fields = {}) => void logs.push(JSON.stringify({ event, ...fields })),
  };
  fn = await runFunction(createSlackHandler(deps).handle);
  return scripted;
}

const token = (claims: { aud?: string; email?: string; expiresInS?: number; signWith?: 'google' | 'stranger' } = {}) =>
  google.idToken({ aud: AUDIENCE, email: PUSH_ACCOUNT, ...claims });

/** `authorization: ''` sends none. */
async function push(body: unknown, authorization = `Bearer ${token()}`) {
  const response = await fetch(new URL('/slack/worker', fn!.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function deliver(payload: unknown, retry?: number) {
  const raw = JSON.stringify(payload);
  const response = await fetch(new URL('/slack/events', fn!.url), { method: 'POST', headers: { ...slackSignedHeaders(raw, SECRET), ...(retry ? retryHeaders(retry) : {}) }, body: raw });
  return response.status;
}

let channels = 0;
function job(options: Partial<SlackJob> = {}): SlackJob {
  const channel = options.channel ?? `C0WORK${++channels}`;
  const ts = options.ts ?? nextTs();
  return { key: messageKey(TEAM, channel, ts), channel, ts, threadTs: ts, prompt: 'tell me a joke', ...options };
}

const methods = (channel: string) => slack.calls.filter((c) => c.params.channel === channel).map((c) => c.method);

describe('the worker endpoint', () => {
  it("refuses pushes without Pub/Sub's OIDC token for this URL from the push account, before any work", async () => {
    const scripted = await start([[' never said']]);
    const work = job();
    const refused = [
      '',
      'Bearer not-a-jwt',
      `Bearer ${token({ aud: 'https://someone-else.run.app/slack/worker' })}`,
      `Bearer ${token({ email: 'intruder@evil.iam.gserviceaccount.com' })}`,
      `Bearer ${token({ expiresInS: -600 })}`,
      `Bearer ${token({ signWith: 'stranger' })}`,
    ];
    for (const authorization of refused) {
      const response = await push(pushBody(work), authorization);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: { field: 'authorization' } });
    }
    expect(scripted.requests).toEqual([]);
    expect(methods(work.channel)).toEqual([]);
  });

  it('answers a pushed message in its thread with the reaction while generating, and a duplicate push posts nothing more', async () => {
    await start([[' why did the chicken']]);
    const work = job({ prompt: 'tell me a joke' });
    expect(await push(pushBody(work))).toEqual({ status: 200, body: { outcome: 'posted' } });
    expect(methods(work.channel)).toEqual(['reactions.add', 'chat.postMessage', 'reactions.remove']);
    expect(slack.posts(work.channel)[0].params).toMatchObject({ thread_ts: work.ts, text: 'why did the chicken' });
    expect(await push(pushBody(work))).toEqual({ status: 200, body: { outcome: 'answered' } });
    expect(slack.posts(work.channel)).toHaveLength(1);
  });

  it('posts once when Pub/Sub pushes the same message twice at once', async () => {
    await start([[' one'], [' two']]);
    const work = job();
    slack.stallWhen((c) => c.method === 'reactions.add' && c.params.channel === work.channel, 300);
    const body = pushBody(work);
    const answers = await Promise.all([push(body), push(body)]);
    expect(answers.map((a) => a.body.outcome).sort()).toEqual(['in_progress', 'posted']);
    expect(answers.find((a) => a.body.outcome === 'in_progress')!.status).toBe(503);
    expect(slack.posts(work.channel)).toHaveLength(1);
  });

  it('refuses a push that is not one, naming the field, with 400', async () => {
    await start([]);
    const good = pushBody(job());
    const cases: [unknown, string][] = [
      [[1, 2], 'message'],
      [{ ...good, message: { ...good.message, messageId: undefined } }, 'message.messageId'],
      [{ ...good, message: { ...good.message, publishTime: 'yesterday' } }, 'message.publishTime'],
      [{ ...good, deliveryAttempt: 0 }, 'deliveryAttempt'],
      [pushBody({ raw: 'not json' }), 'message.data'],
      [pushBody({ raw: JSON.stringify({ ...job(), channel: '' }) }), 'message.data.channel'],
      [pushBody({ raw: JSON.stringify({ ...job(), prompt: 'x'.repeat(40_001) }) }), 'message.data.prompt'],
    ];
    for (const [body, field] of cases) {
      const response = await push(body);
      expect(response.status, field).toBe(400);
      expect(response.body).toMatchObject({ error: { field } });
    }
  });

  it('answers only POST', async () => {
    await start([]);
    const response = await fetch(new URL('/slack/worker', fn!.url));
    expect(response.status).toBe(405);
  });
});

describe('a model outage', () => {
  it('is waited out: each delivery before the last hands the message back, and the user gets the real reply', async () => {
    const scripted = await start([downError(), downError(), [' back again']]);
    const work = job();
    for (const attempt of [1, 2]) {
      const response = await push(pushBody(work, { deliveryAttempt: attempt }));
      expect(response).toMatchObject({ status: 503, body: { outcome: 'retry' } });
    }
    expect(slack.posts(work.channel)).toEqual([]);
    // The reaction stays on while the bot waits for its model.
    expect(methods(work.channel)).toEqual(['reactions.add', 'reactions.add']);
    expect(await push(pushBody(work, { deliveryAttempt: 3 }))).toEqual({ status: 200, body: { outcome: 'posted' } });
    expect(slack.posts(work.channel).map((c) => c.params.text)).toEqual(['back again']);
    expect(methods(work.channel).at(-1)).toBe('reactions.remove');
    expect(scripted.requests).toHaveLength(3);
  });

  it("ends in one apology on Pub/Sub's last attempt", async () => {
    await start([downError(), downError()], { maxDeliveryAttempts: 5 });
    const work = job();
    expect((await push(pushBody(work, { deliveryAttempt: 4 }))).status).toBe(503);
    expect(await push(pushBody(work, { deliveryAttempt: 5 }))).toEqual({ status: 200, body: { outcome: 'posted' } });
    expect(slack.posts(work.channel).map((c) => c.params.text)).toEqual([APOLOGIES.model_unavailable]);
    expect(await push(pushBody(work, { deliveryAttempt: 5 }))).toEqual({ status: 200, body: { outcome: 'answered' } });
    expect(slack.posts(work.channel)).toHaveLength(1);
  });

  it('ends in one apology once the message is older than the retry window', async () => {
    await start([downError(), downError()], { retryWindowMs: 60_000 });
    const work = job();
    expect((await push(pushBody(work, { publishTime: new Date(Date.now() - 59_000) }))).status).toBe(503);
    expect((await push(pushBody(work, { publishTime: new Date(Date.now() - 61_000) }))).status).toBe(200);
    expect(slack.posts(work.channel).map((c) => c.params.text)).toEqual([APOLOGIES.model_unavailable]);
  });
});

describe("Slack's Web API failing the post", () => {
  it('for now (internal_error): the message goes back and the next delivery posts it', async () => {
    await start([[' first'], [' second']]);
    const work = job();
    slack.failWhen((c) => c.method === 'chat.postMessage' && c.params.channel === work.channel, { ok: false, error: 'internal_error' });
    expect(await push(pushBody(work))).toMatchObject({ status: 503, body: { outcome: 'retry' } });
    expect(await push(pushBody(work))).toEqual({ status: 200, body: { outcome: 'posted' } });
    expect(slack.posts(work.channel)).toHaveLength(2); // the failed call, then the reply
  });

  it('for good (channel_not_found): nothing more is tried', async () => {
    await start([[' first']]);
    const work = job();
    slack.failWhen((c) => c.method === 'chat.postMessage' && c.params.channel === work.channel, { ok: false, error: 'channel_not_found' });
    expect(await push(pushBody(work))).toEqual({ status: 200, body: { outcome: 'gave_up' } });
    expect(await push(pushBody(work))).toEqual({ status: 200, body: { outcome: 'answered' } });
    expect(slack.posts(work.channel)).toHaveLength(1);
  });

  it('without saying whether it posted (the connection dropped): never posted a second time', async () => {
    await start([[' first'], [' second']]);
    const work = job();
    slack.dropWhen((c) => c.method === 'chat.postMessage' && c.params.channel === work.channel);
    expect(await push(pushBody(work))).toEqual({ status: 200, body: { outcome: 'outcome_unknown' } });
    expect(await push(pushBody(work))).toEqual({ status: 200, body: { outcome: 'outcome_unknown' } });
    expect(slack.posts(work.channel)).toHaveLength(1);
    expect(logs.some((line) => line.includes('slack_post_failed') && line.includes('"failure":"unknown"'))).toBe(true);
  });
});

describe('the events endpoint with a queue', () => {
  it('publishes each message once, whatever Slack retries, and answers without waiting for the model', async () => {
    const scripted = await start([[' later']]);
    const channel = 'C0QUEUED';
    const mention = appMention({ text: `<@${BOT_USER}> hello there`, channel });
    const event = envelope(mention);
    expect(await deliver(event)).toBe(200);
    expect(await deliver(event, 1)).toBe(200);
    expect(scripted.requests).toEqual([]);
    expect(published).toHaveLength(1);
    const queued = slackJobFromPush(Buffer.from(published[0].data).toString('base64'));
    expect(queued).toEqual({ key: messageKey(TEAM, channel, mention.ts), channel, ts: mention.ts, threadTs: mention.ts, prompt: 'hello there' });
    expect(published[0].attributes).toEqual({ message_key: queued.key });
    // What Pub/Sub then pushes is answered.
    expect(await push(pushBody(queued))).toEqual({ status: 200, body: { outcome: 'posted' } });
    expect(slack.posts(channel)).toHaveLength(1);
  });

  it('publishes a DM mention that arrives as two events once, with no thread', async () => {
    await start([]);
    const channel = 'D0QUEUED';
    const ts = nextTs();
    await Promise.all([deliver(envelope(directMessage({ text: `<@${BOT_USER}> hey`, channel, ts }))), deliver(envelope(appMention({ text: `<@${BOT_USER}> hey`, channel, ts })))]);
    expect(published).toHaveLength(1);
    expect(slackJobFromPush(Buffer.from(published[0].data).toString('base64')).threadTs).toBeUndefined();
  });
});
