/**
 * The Discord function in this process under the real functions-framework on a real socket: interactions
 * signed with a real Ed25519 key made here, the intake publishing to a recording publisher (standing in for
 * Pub/Sub; the real emulators are in discord-queue.emulators.test.ts), pushes in Pub/Sub's wire format with
 * OIDC tokens signed like Google's and checked by google-auth-library, a scripted model, the real gate, and
 * the local Discord API speaking Discord's wire format. The clock is injected where the 15 minutes matter.
 */
import { OAuth2Client } from 'google-auth-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APOLOGIES, createMemoryStore, createOutputFilter, createReplyLoop, DEFAULT_GATE, googleIdTokenVerifier, ModelUnavailableError, replySteps } from '@mimicbot/functions-shared';
import { FakeGoogleCerts, runFunction, scriptedModel, type RunningFunction, type ScriptedChoice } from '@mimicbot/functions-shared/testing';
import { createDiscordApi } from '../src/discord-api.js';
import { discordJobFromPush, type DiscordJob } from '../src/discord-job.js';
import { discordSteps } from '../src/discord-reply.js';
import { createDiscordHandler, type DiscordDeps } from '../src/handler.js';
import { startLocalDiscordApi, type LocalDiscordApi } from '../src/local-discord-api.js';
import { APPLICATION_ID, continueThis, mimic, ping } from './discord-interactions.js';
import { pushBody } from './pubsub-push.js';
import { applicationKey, signedHeaders } from './discord-signing.js';

const AUDIENCE = 'https://mimicbot-discord-123456789012.europe-west1.run.app/discord/worker';
const PUSH_ACCOUNT = 'mimicbot-discord-push@demo-mimicbot.iam.gserviceaccount.com';
const MINUTE = 60_000;
const key = applicationKey();
const google = new FakeGoogleCerts();
let discord: LocalDiscordApi;
let fn: RunningFunction | undefined;
let published: { data: string; attributes?: Record<string, string> }[];
let logs: string[];
/** The function's clock: real time plus this much. */
let clockSkewMs = 0;
/** How long the local Discord API takes over each edit. */
let editDelayMs = 0;

beforeAll(async () => {
  [discord] = await Promise.all([startLocalDiscordApi({ intercept: async () => void (await new Promise((resolve) => setTimeout(resolve, editDelayMs))) }), google.start()]);
});
afterAll(async () => {
  await Promise.all([discord.close(), google.stop()]);
});
afterEach(async () => {
  await fn?.stop();
  fn = undefined;
  clockSkewMs = 0;
  editDelayMs = 0;
});

async function start(model: (ScriptedChoice[] | Error)[], options: { publish?: DiscordDeps['queue']['publisher']['publish'] } = {}) {
  published = [];
  logs = [];
  const scripted = scriptedModel(model);
  const deps: DiscordDeps = {
    publicKeyHex: key.publicKeyHex,
    replies: createReplyLoop({ model: scripted.model, generation: { maxTokens: 20, temperature: 0.9, topP: 0.95 }, steps: replySteps(createOutputFilter({}), { ...DEFAULT_GATE, minWords: 2 }, discordSteps), maxDraws: 2 }),
    store: createMemoryStore(),
    api: createDiscordApi({ baseUrl: async () => discord.url }),
    queue: {
      publisher: { publish: options.publish ?? (async (data, attributes) => (published.push({ data, attributes }), String(published.length))) },
      auth: { kind: 'oidc', verifier: googleIdTokenVerifier(AUDIENCE, new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: google.certsUrl } })), serviceAccount: PUSH_ACCOUNT },
      maxDeliveryAttempts: 10,
      retryWindowMs: 10 * MINUTE,
    },
    leaseMs: 5_000,
    doneTtlMs: 600_000,
    log: (event, fields = {}) => void logs.push(JSON.stringify({ event, ...fields })),
    now: () => Date.now() + clockSkewMs,
  };
  fn = await runFunction(createDiscordHandler(deps).handle);
  return scripted;
}

async function interact(payload: unknown, headers: (raw: string) => Record<string, string> = (raw) => signedHeaders(raw, key)) {
  const raw = JSON.stringify(payload);
  const response = await fetch(new URL('/interactions', fn!.url), { method: 'POST', headers: headers(raw), body: raw });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function push(body: unknown, authorization = `Bearer ${google.idToken({ aud: AUDIENCE, email: PUSH_ACCOUNT })}`) {
  const response = await fetch(new URL('/discord/worker', fn!.url), { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The job the intake published last, as the worker will get it. */
const lastJob = (): DiscordJob => discordJobFromPush(Buffer.from(published.at(-1)!.data).toString('base64'));
const editsFor = (job: DiscordJob) => discord.edits().filter((edit) => edit.token === job.token);

describe('the interactions endpoint', () => {
  it('answers a signed PING with PONG', async () => {
    await start([]);
    expect(await interact(ping())).toEqual({ status: 200, body: { type: 1 } });
  });

  it('refuses with 401 a forged, unsigned, re-signed or stale request, and does nothing with it', async () => {
    await start([]);
    const stranger = applicationKey();
    const payload = mimic('hello');
    const refused: [string, (raw: string) => Record<string, string>][] = [
      ['unsigned', () => ({ 'content-type': 'application/json' })],
      ["signed with another application's key", (raw) => signedHeaders(raw, stranger)],
      ['signed over a different body', () => signedHeaders(JSON.stringify(mimic('something else')), key)],
      ['signed six minutes ago', (raw) => signedHeaders(raw, key, Math.floor(Date.now() / 1000) - 6 * 60)],
      ['signed six minutes ahead', (raw) => signedHeaders(raw, key, Math.floor(Date.now() / 1000) + 6 * 60)],
      ['with a timestamp changed after signing', (raw) => ({ ...signedHeaders(raw, key), 'x-signature-timestamp': String(Math.floor(Date.now() / 1000) - 1) })],
    ];
    for (const [what, headers] of refused) {
      const answer = await interact(payload, headers);
      expect(answer.status, what).toBe(401);
      expect(answer.body, what).toMatchObject({ error: { field: expect.stringMatching(/^x-signature-/) } });
    }
    expect(published).toEqual([]);
  });

  it('answers /mimic with a deferred response and publishes the job; the worker edits the original with the gated text', async () => {
    // The first draft is one word, which the gate (min 2 words here) turns down.
    const scripted = await start([[' no'], [' about the moon and stars.']]);
    const payload = mimic('tell me a secret');
    expect(await interact(payload)).toEqual({ status: 200, body: { type: 5 } });
    const job = lastJob();
    expect(job).toMatchObject({ interactionId: payload.id, applicationId: APPLICATION_ID, token: payload.token, prompt: 'tell me a secret' });
    expect(scripted.requests).toEqual([]);
    expect(await push(pushBody(job))).toEqual({ status: 200, body: { outcome: 'posted' } });
    expect(editsFor(job)).toEqual([{ applicationId: APPLICATION_ID, token: payload.token, content: '*tell me a secret* about the moon and stars.', allowedMentions: { parse: [] } }]);
  });

  it('takes the prompt of "Continue this" from the target message', async () => {
    await start([[' and then the rain came down.']]);
    expect(await interact(continueThis('It was a dark night'))).toEqual({ status: 200, body: { type: 5 } });
    const job = lastJob();
    expect(job.prompt).toBe('It was a dark night');
    await push(pushBody(job));
    expect(editsFor(job).map((edit) => edit.content)).toEqual(['*It was a dark night* and then the rain came down.']);
  });

  it('publishes an interaction once when Discord delivers it twice', async () => {
    await start([]);
    const payload = mimic('twice');
    expect((await interact(payload)).body).toEqual({ type: 5 });
    expect((await interact(payload)).body).toEqual({ type: 5 });
    expect(published).toHaveLength(1);
  });

  it('tells the user at once, only to them, when the job cannot be queued', async () => {
    await start([], { publish: async () => Promise.reject(new Error('Pub/Sub is down')) });
    const answer = await interact(mimic('hello'));
    expect(answer.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/couldn't take that on/) } });
  });

  it('answers 400 naming the field for a signed payload that is not an interaction it can read', async () => {
    await start([]);
    const broken = { ...mimic('x'), data: { name: 'mimic', type: 1, options: [] } };
    expect(await interact(broken)).toEqual({ status: 400, body: { error: { message: expect.stringContaining('prompt'), field: 'data.options' } } });
  });
});

describe('the worker endpoint', () => {
  async function queued(prompt = 'hello there', at = Date.now()): Promise<DiscordJob> {
    await interact(mimic(prompt, at));
    return lastJob();
  }

  it("refuses pushes without Pub/Sub's OIDC token from the push account", async () => {
    const scripted = await start([[' never said']]);
    const job = await queued();
    for (const authorization of ['', `Bearer ${google.idToken({ aud: 'https://elsewhere.run.app/discord/worker', email: PUSH_ACCOUNT })}`, `Bearer ${google.idToken({ aud: AUDIENCE, email: 'intruder@evil.iam.gserviceaccount.com' })}`]) {
      expect((await push(pushBody(job), authorization)).status).toBe(401);
    }
    expect(scripted.requests).toEqual([]);
    expect(editsFor(job)).toEqual([]);
  });

  it('edits once under duplicate pushes, at once and later', async () => {
    const scripted = await start([[' one more time.'], [' and again.']]);
    const job = await queued();
    const body = pushBody(job);
    // The second push arrives while the first is editing: it must not edit too (nor ask for a redelivery).
    editDelayMs = 300;
    const answers = await Promise.all([push(body), new Promise((resolve) => setTimeout(resolve, 100)).then(() => push(body))]);
    expect(answers.map((answer) => `${answer.status} ${String(answer.body.outcome)}`)).toEqual(['200 posted', '200 outcome_unknown']);
    expect((await push(body)).body).toEqual({ outcome: 'answered' });
    expect(editsFor(job)).toHaveLength(1);
    expect(scripted.requests).toHaveLength(1);
  });

  it('posts nothing for a job past the 15 minutes of its token, logs it, and acknowledges it', async () => {
    const scripted = await start([[' too late.']]);
    const job = await queued('are you there?');
    clockSkewMs = 15 * MINUTE + 1000;
    // Past the retry window too: the last delivery, which would otherwise apologise.
    expect(await push(pushBody(job))).toEqual({ status: 200, body: { outcome: 'expired' } });
    expect(editsFor(job)).toEqual([]);
    expect(scripted.requests).toEqual([]);
    expect(logs.some((line) => line.includes('"event":"discord_interaction_expired"') && line.includes(job.interactionId))).toBe(true);
    expect(logs.join('\n')).not.toContain(job.token);
  });

  it('times the token from the interaction itself, not from when the job was published', async () => {
    await start([[' never said']]);
    const job = await queued('old news', Date.now() - 16 * MINUTE);
    expect((await push(pushBody(job))).body).toEqual({ outcome: 'expired' });
    expect(editsFor(job)).toEqual([]);
  });

  it('waits out a model outage through redelivery, then edits in the real answer', async () => {
    const down = new ModelUnavailableError('could not reach the model server: connect ECONNREFUSED', { attempts: 1 });
    await start([down, [' back again, sorry.']]);
    const job = await queued('wake up');
    expect(await push(pushBody(job))).toMatchObject({ status: 503, body: { outcome: 'retry' } });
    expect(editsFor(job)).toEqual([]);
    expect(await push(pushBody(job))).toEqual({ status: 200, body: { outcome: 'posted' } });
    expect(editsFor(job).map((edit) => edit.content)).toEqual(['*wake up* back again, sorry.']);
  });

  it('edits in the apology on the last delivery when the model is still down', async () => {
    const down = new ModelUnavailableError('could not reach the model server: connect ECONNREFUSED', { attempts: 1 });
    await start([down]);
    const job = await queued('wake up');
    expect((await push(pushBody(job, { deliveryAttempt: 10 }))).body).toEqual({ outcome: 'posted' });
    expect(editsFor(job).map((edit) => edit.content)).toEqual([APOLOGIES.model_unavailable]);
  });

  it('edits in an honest short line when nothing passed the gate', async () => {
    await start([[' no'], [' nope']]);
    const job = await queued('say something');
    expect((await push(pushBody(job))).body).toEqual({ outcome: 'posted' });
    expect(editsFor(job).map((edit) => edit.content)).toEqual([APOLOGIES.gated]);
  });

  it('gives up, without retrying, when Discord no longer knows the token', async () => {
    await start([[' into the void.']]);
    const job = await queued();
    discord.expireToken(job.token);
    expect((await push(pushBody(job))).body).toEqual({ outcome: 'gave_up' });
    expect((await push(pushBody(job))).body).toEqual({ outcome: 'answered' });
  });

  it('answers 400 naming the field for a push whose job is not one', async () => {
    await start([]);
    expect(await push(pushBody({ raw: '{"interactionId":"1"}' }))).toMatchObject({ status: 400, body: { error: { field: 'message.data.applicationId' } } });
  });
});
