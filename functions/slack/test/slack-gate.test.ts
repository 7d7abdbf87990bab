/**
 * Issue 11's "done means", in Slack: a stand-in model says exactly the drafts the issue saw (two
 * degenerate ones the model finds likeliest, one cut off at the token limit, and "tempt friends.", which
 * once went out as "tell me a secrettempt friends.") with a good line among them. Through the real Bolt
 * app, with requests signed as Slack signs them and the Web API faked on 127.0.0.1, none of them is ever
 * posted; the good line is, after the prompt and never glued onto it; and when nothing passes the bot
 * says so.
 */
import { ISSUE_11, ISSUE_11_NEVER_SHOWN, issue11Draw, runFunction, startStandInModel, type RunningFunction, type StandInLine, type StandInModel } from '@mimicbot/functions-shared/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APOLOGIES } from '../src/compose-reply.js';
import { parseConfig } from '../src/config.js';
import { slackDepsFromConfig } from '../src/from-config.js';
import { createSlackHandler, type SlackHandler } from '../src/handler.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { BOT_ID, BOT_USER, directMessage, envelope } from './slack-events.js';
import { slackSignedHeaders } from '@mimicbot/slack/testing';

const SECRET = 'test-signing-secret';
const slack = new FakeSlackApi();
let model: StandInModel;
let handler: SlackHandler;
let fn: RunningFunction;
let logs: string[];

beforeAll(() => slack.start());
afterAll(() => slack.stop());
afterEach(async () => {
  await fn?.stop();
  await handler?.close();
  await model?.stop();
});

async function start(lines: StandInLine[]) {
  model = await startStandInModel(lines);
  logs = [];
  const config = parseConfig({
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: slack.url,
    SLACK_BOT_USER_ID: BOT_USER,
    SLACK_BOT_ID: BOT_ID,
    MODEL_ENDPOINT: model.url,
    MODEL_RETRIES: '0',
    LOG_LEVEL: 'error',
  });
  handler = createSlackHandler({ ...slackDepsFromConfig(config), log: (event, fields = {}) => void logs.push(JSON.stringify({ event, ...fields })) });
  fn = await runFunction(handler.handle);
}

let dms = 0;
/** A signed DM to the bot; the bot's reply in that DM. */
async function dm(text: string): Promise<string> {
  const channel = `D0GATE${++dms}`;
  const raw = JSON.stringify(envelope(directMessage({ text, channel })));
  const response = await fetch(fn.url, { method: 'POST', headers: slackSignedHeaders(raw, SECRET), body: raw });
  expect(response.status).toBe(200);
  const posts = slack.posts(channel);
  expect(posts).toHaveLength(1);
  return posts[0].params.text as string;
}

function expectNoneShown(text: string) {
  for (const bad of ISSUE_11_NEVER_SHOWN) expect(text).not.toContain(bad);
  for (const line of logs) for (const bad of ISSUE_11_NEVER_SHOWN) expect(line).not.toContain(bad);
}

describe("the Slack bot and issue 11's drafts", () => {
  it('answers "tell me a secret" with the good line after the prompt, not glued onto it', async () => {
    const secretDraw: StandInLine[] = [
      { text: ISSUE_11.glued, logprob: -0.1 },
      { text: ` ${ISSUE_11.degenerate[0]}`, logprob: -0.2 },
      { text: ` ${ISSUE_11.lengthCut}`, finishReason: 'length', logprob: -2.5 },
      { text: ' is that I never sleep.', logprob: -1.5 },
    ];
    await start(secretDraw);
    const reply = await dm(ISSUE_11.gluedPrompt);
    expect(reply).toBe('_tell me a secret_ is that I never sleep.');
    expectNoneShown(reply);
    expect(logs.find((line) => line.includes('"reply_decision"'))).toContain('"rejected":{"glued":1,"repeated_character":1}');
  });

  it('answers with the good line of a draw where the degenerate ones were likeliest', async () => {
    await start(issue11Draw());
    const reply = await dm('Mondays');
    expect(reply).toBe(`_Mondays_ ${ISSUE_11.good}`);
    expectNoneShown(reply);
  });

  it('says honestly that nothing passed when no draw has a usable line', async () => {
    const bad = issue11Draw().slice(0, 2);
    await start([...bad, ...bad, ...bad, ...bad, ...bad, ...bad]);
    const reply = await dm('anything');
    expect(reply).toBe(APOLOGIES.gated);
    expectNoneShown(reply);
  });
});
