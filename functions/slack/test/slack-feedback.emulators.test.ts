/**
 * Feedback on Slack end to end: the Slack function in its own process (functions-framework's real server)
 * with STORE=firestore on the real Firestore emulator, events signed as Slack signs them, the Web API a
 * fake on 127.0.0.1, the model the real mimicbot server. The bot keeps each reply it posts; reactions on
 * it, as Slack delivers them, are counted. The test reads the store back as `feedback export` does.
 */
import { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFirestoreFeedbackStore, FEEDBACK_COLLECTION, type FeedbackStore, type RatedReply } from '@mimicbot/functions-shared';
import { gcpEmulatorsForTests, startFunctionProcess, startTinyModelServer, type FunctionProcess, type RunningModelServer } from '@mimicbot/functions-shared/testing';
import { slackSignedHeaders } from '@mimicbot/slack/testing';
import { FakeSlackApi } from './fake-slack-api.js';
import { appMention, BOT_ID, BOT_USER, envelope, reaction } from './slack-events.js';

const SECRET = 'feedback-signing-secret';
const VOTER_KEY = 'feedback-test-voter-key';
const slack = new FakeSlackApi();
let model: RunningModelServer;
let fn: FunctionProcess;
let store: FeedbackStore; // the same database, read as the export reads it
let db: Firestore;

beforeAll(async () => {
  const emulators = await gcpEmulatorsForTests();
  [model] = await Promise.all([startTinyModelServer(), slack.start()]);
  const projectId = `demo-slack-feedback-${process.pid}`;
  fn = await startFunctionProcess('slack', {
    STORE: 'firestore',
    FIRESTORE_EMULATOR_HOST: emulators.firestore,
    GOOGLE_CLOUD_PROJECT: projectId,
    METADATA_SERVER_DETECTION: 'none',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'xoxb-feedback-test',
    SLACK_API_URL: slack.url,
    SLACK_BOT_USER_ID: BOT_USER,
    SLACK_BOT_ID: BOT_ID,
    FEEDBACK_VOTER_KEY: VOTER_KEY,
    MODEL_ENDPOINT: model.url,
    MAX_TOKENS: '16',
    // The tiny model's sampled drafts are sometimes all turned down by the gate, and a reply the gate replaced is
    // rightly not kept for feedback: with 2 drafts this test failed once in three full runs here; with 8, every
    // draft must fail for that. (Greedy is no way out: its drafts for these prompts are refused every time.)
    GATE_CANDIDATES: '8',
    LOG_LEVEL: 'error',
  });
  store = createFirestoreFeedbackStore({ emulatorHost: emulators.firestore, projectId, voterKey: VOTER_KEY, timeoutMs: 60_000 });
  db = new Firestore({ projectId, host: emulators.firestore, ssl: false });
}, 180_000);

afterAll(async () => {
  await fn?.stop();
  await Promise.all([store?.close(), db?.terminate(), model?.stop(), slack.stop()]);
});

async function deliver(payload: unknown): Promise<number> {
  const raw = JSON.stringify(payload);
  const response = await fetch(fn.url, { method: 'POST', headers: slackSignedHeaders(raw, SECRET), body: raw });
  await response.text();
  return response.status;
}

/** Mentions the bot in a fresh channel and returns the ts of the reply it posted, read from the store. */
async function replyIn(channel: string, text: string): Promise<string> {
  expect(await deliver(envelope(appMention({ text: `<@${BOT_USER}> ${text}`, channel })))).toBe(200);
  expect(slack.posts(channel)).toHaveLength(1);
  const kept = (await db.collection(FEEDBACK_COLLECTION).where('surface', '==', 'slack').get()).docs.filter((d) => String(d.get('id')).startsWith(`${channel}:`));
  expect(kept).toHaveLength(1);
  return String(kept[0]!.get('id')).slice(channel.length + 1);
}

async function ratedIn(channel: string, ts: string): Promise<Pick<RatedReply, 'up' | 'down'> | undefined> {
  for await (const rated of store.ratedReplies()) if (rated.reply.id === `${channel}:${ts}`) return { up: rated.up, down: rated.down };
  return undefined;
}

describe('feedback on Slack', () => {
  it('keeps each reply it posts under the channel and ts of its message, with what made it', async () => {
    const channel = 'C0FEEDBACK1';
    const ts = await replyIn(channel, 'tell me about cats');
    const kept = await store.getReply('slack', `${channel}:${ts}`);
    expect(kept).toMatchObject({
      surface: 'slack',
      prompt: 'tell me about cats',
      text: slack.posts(channel)[0]!.params.text,
      model: expect.any(String),
      continuation: expect.any(String),
      seed: expect.any(Number),
      settings: { maxTokens: 16, temperature: 0.9, topP: 0.95 },
    });
    // Shown: the prompt in italics, then the model's words; kept apart: the model's words alone.
    expect(kept!.text.startsWith('_tell me about cats_')).toBe(true);
    expect(kept!.continuation).not.toContain('tell me about cats');
    expect(await ratedIn(channel, ts)).toBeUndefined();
  });

  it("counts 👍-like and 👎-like reactions on its own replies, one per person, and ignores other reactions and others' messages", async () => {
    const channel = 'C0FEEDBACK2';
    const ts = await replyIn(channel, 'what about dogs');
    const on = { channel, ts };
    const statuses = [
      await deliver(envelope(reaction({ added: true, reaction: '+1', user: 'U0ALICE', ...on }))),
      await deliver(envelope(reaction({ added: true, reaction: 'heart', user: 'U0BOB', ...on }))),
      await deliver(envelope(reaction({ added: true, reaction: '+1::skin-tone-3', user: 'U0BOB', ...on }))),
      await deliver(envelope(reaction({ added: true, reaction: '-1', user: 'U0CAROL', ...on }))),
      await deliver(envelope(reaction({ added: true, reaction: 'eyes', user: 'U0DAVE', ...on }))),
      // The same message named as someone else's: never the bot's reply, so never counted.
      await deliver(envelope(reaction({ added: true, reaction: '+1', user: 'U0EVE', itemUser: 'U0ALICE', ...on }))),
    ];
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await ratedIn(channel, ts)).toEqual({ up: 2, down: 1 });

    expect(await deliver(envelope(reaction({ added: false, reaction: '+1', user: 'U0ALICE', ...on })))).toBe(200);
    expect(await deliver(envelope(reaction({ added: false, reaction: 'eyes', user: 'U0DAVE', ...on })))).toBe(200);
    expect(await ratedIn(channel, ts)).toEqual({ up: 1, down: 1 });
    expect(await deliver(envelope(reaction({ added: true, reaction: 'thumbsdown', user: 'U0BOB', ...on })))).toBe(200);
    expect(await ratedIn(channel, ts)).toEqual({ up: 0, down: 2 });
  });

  it('ignores a reaction on a message it never posted', async () => {
    expect(await deliver(envelope(reaction({ added: true, reaction: '+1', user: 'U0ALICE', channel: 'C0FEEDBACK3', ts: '1700000000.000001' })))).toBe(200);
    expect(await store.getReply('slack', 'C0FEEDBACK3:1700000000.000001')).toBeUndefined();
  });
});
