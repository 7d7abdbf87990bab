/**
 * REPLY_TO_MENTIONS on a function that scales to zero: each run is a fresh process (functions-framework's
 * server) with its state in the Firestore emulator, X is the local fake speaking X's wire format with real
 * OAuth 1.0a signatures checked, and the model is the real server on a tiny random model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcpEmulatorsForTests, startFunctionProcess, startTinyModelServer, type FunctionProcess, type RunningModelServer } from '@mimicbot/functions-shared/testing';
import { FakeXApi } from './fake-x-api.js';

const credentials = { appKey: 'app-key-123', appSecret: 'app-secret-456', accessToken: '1000-access-token', accessSecret: 'access-secret-789' };
const TRIGGER_SECRET = 'trigger-secret-restarts';

let model: RunningModelServer;
let env: Record<string, string>;
const x = new FakeXApi(credentials);
const running = new Set<FunctionProcess>();

beforeAll(async () => {
  const emulators = await gcpEmulatorsForTests();
  [model] = await Promise.all([startTinyModelServer({}, { seed: 11 }), x.start()]);
  env = {
    STORE: 'firestore',
    FIRESTORE_EMULATOR_HOST: emulators.firestore,
    GOOGLE_CLOUD_PROJECT: `demo-mentions-${process.pid}`,
    METADATA_SERVER_DETECTION: 'none',
    MODEL_ENDPOINT: model.url,
    MAX_TOKENS: '8',
    TRIGGER_SECRET,
    REPLY_TO_MENTIONS: '1',
    ...x.clientEnv(),
  };
}, 180_000);

afterAll(async () => {
  await Promise.all([...running].map((fn) => fn.stop('SIGKILL')));
  await Promise.all([model?.stop(), x.stop()]);
});

/** A cold start: a new process with the same environment. */
async function coldStart(): Promise<FunctionProcess> {
  const fn = await startFunctionProcess('twitter', env);
  running.add(fn);
  return fn;
}

async function stop(fn: FunctionProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') {
  await fn.stop(signal);
  running.delete(fn);
}

const trigger = async (fn: FunctionProcess) => {
  const response = await fetch(fn.url, { method: 'POST', headers: { 'x-trigger-secret': TRIGGER_SECRET } });
  return (await response.json()) as { status: string; mentions?: { replied: { mentionId: string }[]; skipped: string[]; seeded?: string } };
};

const repliesTo = () => x.posted.filter((t) => 'in_reply_to' in t).map((t) => (t as { in_reply_to?: string }).in_reply_to);
const mention = (n: number) => ({ id: `19000000000000002${String(n).padStart(2, '0')}`, text: `@mimicbot mention number ${n}`, author_id: '7' });

describe('the mention poll across cold starts', () => {
  it('never answers the same mention twice, also when a run dies after X took its reply', async () => {
    x.mentions = [mention(1), mention(2)];
    // First run ever: remembers the newest mention and answers none of the backlog.
    let fn = await coldStart();
    expect((await trigger(fn)).mentions).toMatchObject({ replied: [], seeded: mention(2).id });
    await stop(fn);

    // A new instance carries on from the cursor (with the memory store it would seed again and answer nothing).
    x.mentions.push(mention(3), mention(4));
    fn = await coldStart();
    expect((await trigger(fn)).mentions?.replied.map((r) => r.mentionId)).toEqual([mention(3).id, mention(4).id]);
    await stop(fn);

    // This run's reply to mention 5 reaches X, and the instance dies before X answers.
    x.mentions.push(mention(5));
    let reached: () => void;
    const replyReachedX = new Promise<void>((resolve) => (reached = resolve));
    x.onPosted = async (tweet) => {
      if ('in_reply_to' in tweet) {
        reached();
        await new Promise(() => {}); // never answers
      }
    };
    fn = await coldStart();
    const dying = trigger(fn).catch(() => undefined);
    await replyReachedX;
    await stop(fn, 'SIGKILL');
    await dying;
    x.onPosted = undefined;

    // The next cold start answers only what is new.
    x.mentions.push(mention(6));
    fn = await coldStart();
    const after = await trigger(fn);
    expect(after.mentions?.replied.map((r) => r.mentionId)).toEqual([mention(6).id]);
    expect(after.mentions?.skipped).toEqual([mention(5).id]);
    expect(repliesTo()).toEqual([mention(3).id, mention(4).id, mention(5).id, mention(6).id]);
    expect(x.authFailures).toEqual([]);
  }, 240_000);
});
