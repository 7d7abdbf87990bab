/**
 * Discord through the queue, for real: two instances of the function, each its own process (functions-
 * framework's server), sharing the Firestore emulator as the store and a topic on the Pub/Sub emulator with
 * one push subscription each, so every job is pushed to both at once (a harsher case than Pub/Sub's
 * occasional duplicate). Interactions are signed with a real Ed25519 key made here; Discord's API is the
 * local stand-in, which records every edit. The model takes 8 s per completion, far past Discord's 3 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushSubscription, gcpEmulatorsForTests, startFunctionProcess, startStandInModel, type FunctionProcess, type StandInModel } from '@mimicbot/functions-shared/testing';
import { startLocalDiscordApi, type LocalDiscordApi } from '../src/local-discord-api.js';
import { mimic } from './discord-interactions.js';
import { applicationKey, signedHeaders } from './discord-signing.js';

/** What Discord allows an interaction's first answer. */
const DISCORD_DEADLINE_MS = 3000;
const key = applicationKey();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const started: FunctionProcess[] = [];
const answerTimes: number[] = [];
let discord: LocalDiscordApi;
let slowModel: StandInModel;
let fastModel: StandInModel;
let a: FunctionProcess;
let b: FunctionProcess;
/** DRY_RUN, as `npm run dev` starts it: its own local Discord API, which logs the edits. */
let dry: FunctionProcess;

async function interact(fn: FunctionProcess, payload: unknown): Promise<{ status: number; body: unknown; ms: number }> {
  const raw = JSON.stringify(payload);
  const startedAt = Date.now();
  const response = await fetch(new URL('/interactions', fn.url), { method: 'POST', headers: signedHeaders(raw, key), body: raw });
  const body = await response.json();
  const ms = Date.now() - startedAt;
  answerTimes.push(ms);
  return { status: response.status, body, ms };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

const editsOf = (token: string) => discord.edits().filter((edit) => edit.token === token);

beforeAll(async () => {
  const emulators = await gcpEmulatorsForTests();
  [discord, slowModel, fastModel] = await Promise.all([startLocalDiscordApi(), startStandInModel([], { firstByteDelayMs: 8000 }), startStandInModel([' a dry run line<|endoftext|>'])]);
  const project = `demo-discord-queue-${process.pid}`;
  const env = {
    STORE: 'firestore',
    FIRESTORE_EMULATOR_HOST: emulators.firestore,
    PUBSUB_EMULATOR_HOST: emulators.pubsub,
    GOOGLE_CLOUD_PROJECT: project,
    METADATA_SERVER_DETECTION: 'none',
    DISCORD_TOPIC: 'discord-commands',
    DISCORD_WORKER_AUTH: 'none',
    DISCORD_PUBLIC_KEY: key.publicKeyHex,
    DISCORD_API_URL: discord.url,
    DISCORD_LEASE_MS: '15000',
    MODEL_ENDPOINT: slowModel.url,
    MAX_TOKENS: '16',
    LOG_LEVEL: 'error',
  };
  const { DISCORD_API_URL: _api, ...dryEnv } = env;
  [a, b, dry] = await Promise.all([
    startFunctionProcess('discord', env),
    startFunctionProcess('discord', env),
    startFunctionProcess('discord', { ...dryEnv, DRY_RUN: '1', DISCORD_TOPIC: 'discord-dry', MODEL_ENDPOINT: fastModel.url, LOG_LEVEL: 'info' }),
  ]);
  started.push(a, b, dry);
  await Promise.all(
    ([['worker-a', a, 'discord-commands'], ['worker-b', b, 'discord-commands'], ['worker-dry', dry, 'discord-dry']] as const).map(([name, fn, topic]) =>
      createPushSubscription(emulators.pubsub, project, { name, topic, pushEndpoint: new URL('discord/worker', fn.url).href, ackDeadlineSeconds: 60, minimumBackoff: '1s', maximumBackoff: '2s' }),
    ),
  );
  // One command through each instance first: a process's first Firestore and Pub/Sub calls load and
  // connect their clients (seconds here), which is a cold start, not what the 3 s below are about.
  const warmUps = [mimic('warm up a'), mimic('warm up b')];
  await Promise.all([interact(a, warmUps[0]), interact(b, warmUps[1])]);
  await waitFor(() => warmUps.every((payload) => editsOf(payload.token).length === 1), 90_000);
  answerTimes.length = 0;
}, 240_000);

afterAll(async () => {
  console.log(`interactions answered in ${answerTimes.map((ms) => `${ms} ms`).join(', ')} (Discord allows ${DISCORD_DEADLINE_MS} ms)`);
  await Promise.all(started.map((fn) => fn.stop('SIGKILL')));
  await Promise.all([slowModel?.stop(), fastModel?.stop(), discord?.close()]);
});

describe('Discord through Pub/Sub, with a model that takes 8 s per completion', () => {
  it('answers /mimic with a deferred response within 3 s, then edits the original exactly once with the gated text, though both instances get the job and Discord delivers it twice', async () => {
    const payload = mimic('take your time');
    const callsBefore = slowModel.calls;
    const first = await interact(a, payload);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ type: 5 });
    expect(first.ms).toBeLessThan(DISCORD_DEADLINE_MS);
    // The same interaction again, on the other instance (a duplicate delivery).
    const again = await interact(b, payload);
    expect(again.body).toEqual({ type: 5 });
    expect(again.ms).toBeLessThan(DISCORD_DEADLINE_MS);

    await waitFor(() => editsOf(payload.token).length > 0, 60_000);
    // Both instances were pushed the job; give the other one time to come back and find it answered.
    await sleep(6000);
    const edits = editsOf(payload.token);
    expect(edits).toHaveLength(1);
    expect(edits[0].content).toMatch(/^\*take your time\* stand-in line \d+$/);
    expect(edits[0].allowedMentions).toEqual({ parse: [] });
    expect(slowModel.calls - callsBefore).toBe(1);
  }, 120_000);
});

describe('DRY_RUN, as npm run dev starts it', () => {
  it('edits nothing anywhere and prints the answer it would have edited in', async () => {
    const payload = mimic('try me');
    expect((await interact(dry, payload)).body).toEqual({ type: 5 });
    await waitFor(() => dry.output().includes('"message":"dry_run_edit"'), 60_000);
    const line = dry.output().split('\n').find((entry) => entry.includes('"message":"dry_run_edit"'))!;
    expect(JSON.parse(line)).toMatchObject({ content: '*try me* a dry run line' });
    // The interaction token is a credential: it is not printed.
    expect(dry.output()).not.toContain(payload.token);
    expect(editsOf(payload.token)).toEqual([]);
  }, 90_000);
});
