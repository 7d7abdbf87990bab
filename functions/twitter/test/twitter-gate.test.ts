/**
 * Issue 11's "done means", on X: a stand-in model says exactly the drafts the issue saw posted (two
 * degenerate ones the model finds likeliest, one cut off at the token limit, one that runs on into its
 * prompt) with a good line among them; through the real handler, the real model client and twitter-api-v2
 * signing real requests to the fake X API, none of them is ever posted and the good line is.
 */
import { ISSUE_11, ISSUE_11_NEVER_SHOWN, issue11Draw, runFunction, startStandInModel, type RunningFunction, type StandInLine, type StandInModel } from '@mimicbot/functions-shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { twitterDepsFromConfig } from '../src/from-config.js';
import { createTwitterHandler } from '../src/handler.js';
import { LAST_MENTION_KEY } from '../src/reply-to-mentions.js';
import { FakeXApi } from './fake-x-api.js';

const credentials = { appKey: 'app-key-123', appSecret: 'app-secret-456', accessToken: '1000-access-token', accessSecret: 'access-secret-789' };
const TRIGGER_SECRET = 'trigger-secret-abc';

let x: FakeXApi;
let model: StandInModel;
let fn: RunningFunction;
let logs: string[];

afterEach(async () => {
  await fn?.stop();
  await x?.stop();
  await model?.stop();
});

async function start(lines: StandInLine[], env: Record<string, string> = {}) {
  model = await startStandInModel(lines);
  x = new FakeXApi(credentials);
  await x.start();
  logs = [];
  const config = parseConfig({
    ...x.clientEnv(),
    MODEL_ENDPOINT: model.url,
    MODEL_RETRIES: '0',
    TRIGGER_SECRET,
    ...env,
  });
  const deps = { ...twitterDepsFromConfig(config), log: (event: string, fields = {}) => void logs.push(JSON.stringify({ event, ...fields })) };
  fn = await runFunction(createTwitterHandler(deps));
  return deps;
}

const trigger = async () => {
  const response = await fetch(fn.url, { method: 'POST', headers: { 'x-trigger-secret': TRIGGER_SECRET } });
  return { status: response.status, body: await response.json() };
};

/** Nothing a reader sees, nor any info-level log line, carries any of the issue's bad text. */
function expectNoneShown(texts: string[]) {
  for (const text of [...texts, ...logs]) for (const bad of ISSUE_11_NEVER_SHOWN) expect(text).not.toContain(bad);
}

describe("the X poster and issue 11's drafts", () => {
  it('posts the good line of a draw where the degenerate drafts were the likeliest, and logs only counts', async () => {
    await start(issue11Draw());
    const { status, body } = await trigger();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'posted', text: ISSUE_11.good, attempts: 1 });
    expect(x.posted.map((t) => t.text)).toEqual([ISSUE_11.good]);
    // One request for the draw's four drafts, with their log-probabilities.
    expect(model.calls).toBe(1);
    expect(logs.find((line) => line.includes('"post_decision"'))).toBe(
      JSON.stringify({ event: 'post_decision', status: 'chosen', draws: 1, drafts: 4, rejected: { repeated_character: 2 }, choice: 3, finishReason: 'stop', scored: true }),
    );
    expectNoneShown(x.posted.map((t) => t.text));
  });

  it('posts a draft that hit the token limit only cut back to its last sentence', async () => {
    await start(issue11Draw({ cutIsBest: true }));
    const { body } = await trigger();
    expect(body).toMatchObject({ status: 'posted', text: ISSUE_11.lengthCutKept });
    expect(x.posted.map((t) => t.text)).toEqual([ISSUE_11.lengthCutKept]);
    expectNoneShown(x.posted.map((t) => t.text));
  });

  it('skips the slot when no draw has anything that passes, saying why in counts', async () => {
    const bad = issue11Draw().slice(0, 2);
    await start([...bad, ...bad, ...bad, ...bad, ...bad, ...bad], { MAX_ATTEMPTS: '3' });
    const { status, body } = await trigger();
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'skipped', attempts: 3, drafts: 12, rejected: { repeated_character: 12 } });
    expect(x.posted).toEqual([]);
    expect(logs.find((line) => line.includes('"post_outcome"'))).toContain('"status":"skipped"');
    expectNoneShown([]);
  });

  it('answers a mention "tell me a secret" with a reply that does not run on into it', async () => {
    const deps = await start(
      [
        // The scheduled post comes first, then the mention's draw.
        ...issue11Draw(),
        { text: ISSUE_11.glued, logprob: -0.1 },
        { text: ` ${ISSUE_11.degenerate[0]}`, logprob: -0.1 },
        { text: ' is that I never sleep.', logprob: -2 },
        { text: ` ${ISSUE_11.lengthCut}`, finishReason: 'length', logprob: -3 },
      ],
      { REPLY_TO_MENTIONS: '1' },
    );
    await deps.store.set(LAST_MENTION_KEY, '1900000000000000100');
    x.mentions = [{ id: '1900000000000000101', text: `@mimicbot ${ISSUE_11.gluedPrompt}`, author_id: '7' }];
    const { body } = await trigger();
    expect(body.mentions.replied.map((r: { mentionId: string }) => r.mentionId)).toEqual(['1900000000000000101']);
    expect(x.posted.map((t) => t.text)).toEqual([ISSUE_11.good, 'is that I never sleep.']);
    expect(logs.find((line) => line.includes('"reply_decision"'))).toContain('"glued":1');
    expectNoneShown(x.posted.map((t) => t.text));
  });
});
