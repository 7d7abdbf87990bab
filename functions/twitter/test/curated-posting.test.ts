/**
 * Curated posting end to end: the real functions-framework on a real socket, the real reply loop and gate
 * on a scripted model, drafts posted through Bolt's Web API client to the local Slack stand-in, clicks
 * signed as Slack signs them and received by the real Bolt app at /slack/actions, and twitter-api-v2
 * signing real OAuth 1.0a requests to the fake X.
 */
import { functionStartFailure, runFunction, startFunctionProcess, startStandInModel, type RunningFunction, type StandInModel } from '@mimicbot/functions-shared/testing';
import type { LocalSlackApi } from '@mimicbot/slack/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { twitterDepsFromConfig } from '../src/from-config.js';
import { createTwitterHandler, type TwitterDeps } from '../src/handler.js';
import { weightedLength } from '../src/weighted-length.js';
import { blockActionsRequest, blocksOf, buttonsOf, CURATION_CHANNEL, draftTextsOf, startCurationSlack, type PostedBlocks } from './curation-slack.js';
import { FakeXApi } from './fake-x-api.js';

const credentials = { appKey: 'app-key-123', appSecret: 'app-secret-456', accessToken: '1000-access-token', accessSecret: 'access-secret-789' };
const TRIGGER_SECRET = 'trigger-secret-curated';
const SIGNING_SECRET = 'slack-signing-secret-curated';
const BOT_TOKEN = 'xoxb-curated-bot-token';
const DAY_MS = 24 * 3_600_000;

/** Eight different lines: two draws of four drafts. */
const LINES = Array.from({ length: 8 }, (_, i) => `line number ${i} is a fine thing to say`);

let x: FakeXApi;
let slack: LocalSlackApi;
let model: StandInModel;
let fn: RunningFunction | undefined;
let clock = 0;
let logs: string[] = [];

afterEach(async () => {
  await fn?.stop();
  await Promise.all([x?.stop(), slack?.close(), model?.stop()]);
  fn = undefined;
  for (const line of logs) for (const secret of [SIGNING_SECRET, BOT_TOKEN, credentials.accessSecret]) expect(line).not.toContain(secret);
  logs = [];
  clock = 0;
});

async function start(env: Record<string, string> = {}, lines = LINES): Promise<TwitterDeps> {
  x = new FakeXApi(credentials);
  [slack, model] = await Promise.all([startCurationSlack(), startStandInModel([...lines]), x.start()]);
  const config = parseConfig({
    ...x.clientEnv(),
    MODEL_ENDPOINT: model.url,
    MODEL_RETRIES: '0',
    TRIGGER_SECRET,
    POST_MODE: 'curated',
    CURATED_CHANNEL: CURATION_CHANNEL,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    POST_DISCLOSURE: '🤖',
    ...env,
  });
  const deps: TwitterDeps = {
    ...twitterDepsFromConfig(config),
    log: (event: string, fields = {}) => void logs.push(JSON.stringify({ event, ...fields })),
    now: () => Date.now() + clock,
  };
  fn = await runFunction(createTwitterHandler(deps));
  return deps;
}

const trigger = () => fetch(fn!.url, { method: 'POST', headers: { 'x-trigger-secret': TRIGGER_SECRET } });

async function click(message: PostedBlocks, label: string, user = 'U0ALICE', messageTs = message.ts): Promise<Response> {
  const button = buttonsOf(message).find((b) => b.label === label);
  if (!button) throw new Error(`no button ${label} in ${JSON.stringify(buttonsOf(message))}`);
  const { body, headers } = blockActionsRequest({ actionId: button.actionId, value: button.value, messageTs, user, signingSecret: SIGNING_SECRET });
  return fetch(new URL('/slack/actions', fn!.url), { method: 'POST', headers, body });
}

const callsTo = (method: string) => slack.calls.filter((call) => call.method === method);
const tweetPosts = () => x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');

/** Runs the schedule once and returns the drafts' message as Slack got it (with the ts Slack gave it). */
async function draftsPosted(): Promise<PostedBlocks> {
  const response = await trigger();
  expect(response.status).toBe(200);
  const body = (await response.json()) as { status: string; ts: string };
  expect(body).toMatchObject({ status: 'drafted', candidates: 3, channel: CURATION_CHANNEL });
  return { ...blocksOf(callsTo('chat.postMessage').at(-1)!), ts: body.ts };
}

describe('curated posting (POST_MODE=curated)', () => {
  it('drafts three candidates through the gate into the private channel, with Approve, Regenerate and Discard, and posts nothing to X', async () => {
    await start();
    const message = await draftsPosted();
    const post = callsTo('chat.postMessage')[0];
    expect(post.params.channel).toBe(CURATION_CHANNEL);
    expect(post.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    // Shown exactly as they would be posted: the draft, a space, the disclosure.
    expect(draftTextsOf(message)).toEqual(LINES.slice(0, 3).map((line) => `${line} 🤖`));
    expect(buttonsOf(message).map((b) => b.label)).toEqual(['Approve #1', 'Approve #2', 'Approve #3', 'Regenerate', 'Discard']);
    expect(new Set(buttonsOf(message).map((b) => b.actionId)).size).toBe(5);
    expect(x.requests).toEqual([]);
    expect(model.calls).toBe(1);
  });

  it('posts an approved draft exactly once when two people click Approve at the same moment, then says who and where', async () => {
    // Sent together; the server may still take them one after the other. curated-actions-suite.ts makes
    // both clicks read the open drafts before either moves them, where only compare-and-set can decide.
    await start();
    const message = await draftsPosted();
    const [first, second] = await Promise.all([click(message, 'Approve #2', 'U0ALICE'), click(message, 'Approve #2', 'U0BOB')]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(tweetPosts()).toHaveLength(1);
    expect(x.posted.map((t) => t.text)).toEqual([`${LINES[1]} 🤖`]);
    expect(x.authFailures).toEqual([]);

    const updates = callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0].params).toMatchObject({ channel: CURATION_CHANNEL, ts: message.ts });
    const winner = /Approved by <@(U0ALICE|U0BOB)>/.exec(updates[0].params.text)![1];
    expect(updates[0].params.text).toContain(`https://x.com/i/web/status/${x.posted[0].id}`);
    expect(buttonsOf(blocksOf(updates[0]))).toEqual([]);
    // The other one is told, privately, that it was already taken.
    const told = callsTo('chat.postEphemeral');
    expect(told).toHaveLength(1);
    expect(told[0].params.user).toBe(winner === 'U0ALICE' ? 'U0BOB' : 'U0ALICE');
    expect(told[0].params.text).toMatch(new RegExp(`<@${winner}>`));

    // A click on the old message later: answered, not posted again.
    expect((await click(message, 'Approve #1', 'U0CAROL')).status).toBe(200);
    expect(tweetPosts()).toHaveLength(1);
    expect(callsTo('chat.postEphemeral').at(-1)!.params).toMatchObject({ user: 'U0CAROL', text: expect.stringContaining(`Already approved by <@${winner}> and posted`) });
  });

  it('posts the same Approve clicked twice by one person once', async () => {
    await start();
    const message = await draftsPosted();
    expect((await click(message, 'Approve #1')).status).toBe(200);
    expect((await click(message, 'Approve #1')).status).toBe(200);
    expect(x.posted.map((t) => t.text)).toEqual([`${LINES[0]} 🤖`]);
    expect(callsTo('chat.update')).toHaveLength(1);
  });

  it('posts nothing on Discard, marks the message discarded, and answers a later Approve without posting', async () => {
    await start();
    const message = await draftsPosted();
    expect((await click(message, 'Discard', 'U0BOB')).status).toBe(200);
    const update = callsTo('chat.update')[0];
    expect(update.params.text).toContain('Discarded by <@U0BOB>. Nothing was posted.');
    expect(buttonsOf(blocksOf(update))).toEqual([]);
    expect((await click(message, 'Approve #1', 'U0ALICE')).status).toBe(200);
    expect(callsTo('chat.postEphemeral').at(-1)!.params.text).toContain('<@U0BOB> discarded these drafts');
    expect(x.requests).toEqual([]);
  });

  it('replaces the drafts on Regenerate: new candidates under new buttons, and the old buttons dead', async () => {
    await start();
    const message = await draftsPosted();
    expect((await click(message, 'Regenerate', 'U0BOB')).status).toBe(200);
    expect(model.calls).toBe(2);
    const update = callsTo('chat.update')[0];
    const replaced = { ...blocksOf(update), ts: message.ts };
    expect(draftTextsOf(replaced)).toEqual(LINES.slice(4, 7).map((line) => `${line} 🤖`));
    expect(JSON.stringify(replaced.blocks)).toContain('Regenerated by <@U0BOB>');
    const oldSet = buttonsOf(message)[3].value;
    const newSet = buttonsOf(replaced)[3].value;
    expect(newSet).not.toBe(oldSet);

    // A stale client still showing the old buttons: told, nothing posted.
    expect((await click(message, 'Approve #1', 'U0ALICE')).status).toBe(200);
    expect(callsTo('chat.postEphemeral').at(-1)!.params.text).toContain('<@U0BOB> regenerated these drafts');
    expect(x.requests).toEqual([]);

    expect((await click(replaced, 'Approve #3', 'U0ALICE')).status).toBe(200);
    expect(x.posted.map((t) => t.text)).toEqual([`${LINES[6]} 🤖`]);
  });

  it('answers a click on expired drafts by marking them expired, posting nothing', async () => {
    await start({ CURATED_DRAFT_TTL_MS: String(DAY_MS) });
    const message = await draftsPosted();
    clock = DAY_MS + 1000;
    expect((await click(message, 'Approve #1')).status).toBe(200);
    expect(x.requests).toEqual([]);
    const update = callsTo('chat.update')[0];
    expect(update.params.text).toMatch(/These drafts expired .*Nothing was posted\./);
    expect(buttonsOf(blocksOf(update))).toEqual([]);
    expect(callsTo('chat.postEphemeral').at(-1)!.params.text).toBe('These drafts have expired. Nothing was posted.');
  });

  it('refuses a click whose Slack signature is wrong, stale or dated ahead, before anything happens', async () => {
    await start();
    const message = await draftsPosted();
    const button = buttonsOf(message)[0];
    const { body, headers } = blockActionsRequest({ actionId: button.actionId, value: button.value, messageTs: message.ts, signingSecret: 'not-the-secret' });
    const response = await fetch(new URL('/slack/actions', fn!.url), { method: 'POST', headers, body });
    expect(response.status).toBe(401);
    const stale = blockActionsRequest({ actionId: button.actionId, value: button.value, messageTs: message.ts, signingSecret: SIGNING_SECRET, timestampSec: Math.floor(Date.now() / 1000) - 600 });
    expect((await fetch(new URL('/slack/actions', fn!.url), { method: 'POST', headers: stale.headers, body: stale.body })).status).toBe(401);
    // Correctly signed but dated ahead: replayable until then, so refused too (Bolt alone checks only the past).
    const ahead = blockActionsRequest({ actionId: button.actionId, value: button.value, messageTs: message.ts, signingSecret: SIGNING_SECRET, timestampSec: Math.floor(Date.now() / 1000) + 600 });
    const refused = await fetch(new URL('/slack/actions', fn!.url), { method: 'POST', headers: ahead.headers, body: ahead.body });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { field: 'x-slack-request-timestamp', message: expect.stringMatching(/in the future/) } });
    expect(x.requests).toEqual([]);
    expect(callsTo('chat.update')).toEqual([]);
  });

  it('keeps the drafts open when X refuses the approved one, so another can be approved', async () => {
    await start();
    const message = await draftsPosted();
    x.postRateLimitResetAt = Math.floor(Date.now() / 1000) + 900;
    expect((await click(message, 'Approve #1')).status).toBe(200);
    expect(callsTo('chat.postEphemeral').at(-1)!.params.text).toMatch(/X did not post draft #1: X rate limit reached.*still open/);
    x.postRateLimitResetAt = undefined;
    expect((await click(message, 'Approve #2')).status).toBe(200);
    expect(x.posted.map((t) => t.text)).toEqual([`${LINES[1]} 🤖`]);
  });

  it('skips the slot without a Slack message when nothing passes the gate', async () => {
    await start({ MAX_ATTEMPTS: '1' }, Array(4).fill('!!!'));
    const response = await trigger();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'skipped', attempts: 1, drafts: 4 });
    expect(callsTo('chat.postMessage')).toEqual([]);
  });
});

describe('the disclosure in automatic mode, and /slack/actions without curation', () => {
  it('appends POST_DISCLOSURE to the post, counted so a long draft still fits 280', async () => {
    const long = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    await start({ POST_MODE: 'auto', POST_DISCLOSURE: '(bot) 🤖' }, [long, long, long, long]);
    const response = await trigger();
    expect(response.status).toBe(200);
    const posted = x.posted[0].text;
    expect(posted.endsWith(' (bot) 🤖')).toBe(true);
    expect(weightedLength(posted)).toBeLessThanOrEqual(280);
    expect(weightedLength(posted)).toBeGreaterThan(270);
    expect(long.startsWith(posted.slice(0, -' (bot) 🤖'.length))).toBe(true);
  });

  it('answers 404 with a JSON reason at /slack/actions when POST_MODE is auto', async () => {
    await start({ POST_MODE: 'auto' });
    const response = await fetch(new URL('/slack/actions', fn!.url), { method: 'POST', body: 'payload=%7B%7D', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('POST_MODE=curated') } });
  });
});

describe('curated mode as deployed code (src/index.ts, config from the environment)', () => {
  it('refuses to start without the channel and the Slack app, naming each', async () => {
    const { code, output } = await functionStartFailure('twitter', { DRY_RUN: '1', TRIGGER_SECRET, MODEL_ENDPOINT: 'http://127.0.0.1:9', POST_MODE: 'curated' });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      'twitter: cannot start: 3 problems with its environment variables:',
      expect.stringMatching(/^  CURATED_CHANNEL: is required/),
      expect.stringMatching(/^  SLACK_BOT_TOKEN: is required/),
      expect.stringMatching(/^  SLACK_SIGNING_SECRET: is required/),
    ]);
  });

  it('drafts into Slack on its trigger and posts the draft a signed click approves', async () => {
    x = new FakeXApi(credentials);
    [slack, model] = await Promise.all([startCurationSlack(), startStandInModel([...LINES]), x.start()]);
    const running = await startFunctionProcess('twitter', {
      TRIGGER_SECRET,
      MODEL_ENDPOINT: model.url,
      MODEL_RETRIES: '0',
      ...x.clientEnv(),
      POST_MODE: 'curated',
      CURATED_CHANNEL: CURATION_CHANNEL,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
    });
    try {
      const response = await fetch(running.url, { method: 'POST', headers: { 'x-trigger-secret': TRIGGER_SECRET } });
      const { ts } = (await response.json()) as { ts: string };
      const message = { ...blocksOf(callsTo('chat.postMessage')[0]), ts };
      const button = buttonsOf(message)[0];
      const { body, headers } = blockActionsRequest({ actionId: button.actionId, value: button.value, messageTs: ts, signingSecret: SIGNING_SECRET });
      expect((await fetch(new URL('/slack/actions', running.url), { method: 'POST', headers, body })).status).toBe(200);
      expect(x.posted.map((t) => t.text)).toEqual([LINES[0]]);
      for (const secret of [SIGNING_SECRET, BOT_TOKEN, credentials.accessSecret]) expect(running.output()).not.toContain(secret);
    } finally {
      await running.stop();
    }
  });
});
