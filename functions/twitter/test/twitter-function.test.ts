/**
 * The X function end to end: the real functions-framework on a real socket, the real model client calling
 * a model server, twitter-api-v2 signing real OAuth 1.0a requests to a fake X on 127.0.0.1.
 */
import { OAuth2Client } from 'google-auth-library';
import { googleIdTokenVerifier } from '@mimicbot/functions-shared';
import {
  FakeGoogleCerts,
  functionStartFailure,
  runFunction,
  startFunctionProcess,
  startStandInModel,
  tinyModelServerForSuite,
  type RunningFunction,
} from '@mimicbot/functions-shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { twitterDepsFromConfig } from '../src/from-config.js';
import { createTwitterHandler, type TwitterDeps } from '../src/handler.js';
import { LAST_MENTION_KEY } from '../src/reply-to-mentions.js';
import { weightedLength } from '../src/weighted-length.js';
import { FakeXApi, parseOAuthHeader } from './fake-x-api.js';

const credentials = { appKey: 'app-key-123', appSecret: 'app-secret-456', accessToken: '1000-access-token', accessSecret: 'access-secret-789' };
const TRIGGER_SECRET = 'trigger-secret-abc';
const secrets = [credentials.appSecret, credentials.accessSecret, TRIGGER_SECRET];

const model = tinyModelServerForSuite({}, { seed: 7 });
let x: FakeXApi;
let fn: RunningFunction | undefined;
let logs: string[] = [];

afterEach(async () => {
  await fn?.stop();
  await x?.stop();
  fn = undefined;
  // Nothing any test logged may contain a secret.
  for (const line of logs) for (const secret of secrets) expect(line).not.toContain(secret);
  logs = [];
});

async function start(env: Record<string, string> = {}, overrides: Partial<TwitterDeps> = {}, modelUrl = model.url) {
  x = new FakeXApi(credentials);
  await x.start();
  const config = parseConfig({
    ...x.clientEnv(),
    MODEL_ENDPOINT: modelUrl,
    MODEL_RETRIES: '0',
    MAX_TOKENS: '8',
    TRIGGER_SECRET,
    ...env,
  });
  const deps = { ...twitterDepsFromConfig(config), log: (event: string, fields = {}) => void logs.push(JSON.stringify({ event, ...fields })), ...overrides };
  fn = await runFunction(createTwitterHandler(deps));
  return deps;
}

const trigger = (headers: Record<string, string> = { 'x-trigger-secret': TRIGGER_SECRET }) =>
  fetch(fn!.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

const tweetPosts = () => x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');

describe('the X function', () => {
  it('posts one generated, cleaned tweet with a valid OAuth 1.0a signature', async () => {
    await start();
    const response = await trigger();
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: 'posted', attempts: 1 });
    expect(x.posted).toHaveLength(1);
    expect(x.posted[0]).toMatchObject({ id: body.id, text: body.text });
    expect(body.text).not.toContain('<|endoftext|>');
    expect(body.text).toBe(body.text.trim());
    expect(weightedLength(body.text)).toBeLessThanOrEqual(280);

    expect(x.authFailures).toEqual([]);
    const oauth = parseOAuthHeader(tweetPosts()[0].authorization);
    expect(oauth).toMatchObject({ oauth_consumer_key: credentials.appKey, oauth_token: credentials.accessToken, oauth_signature_method: 'HMAC-SHA1', oauth_version: '1.0' });
    expect(oauth!.oauth_signature).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  });

  it('refuses a missing or wrong trigger secret before generating or posting', async () => {
    await start();
    const callsBefore = model.completions();
    const attempts: Record<string, string>[] = [{}, { 'x-trigger-secret': 'nope' }, { authorization: 'Bearer not-a-jwt' }];
    for (const headers of attempts) {
      const response = await trigger(headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { field: 'authorization' } });
    }
    expect(x.requests).toEqual([]);
    expect(model.completions()).toBe(callsBefore);
  });

  it("accepts Cloud Scheduler's Google-signed ID token for the right audience and service account only", async () => {
    const google = new FakeGoogleCerts();
    await google.start();
    const audience = 'https://twitter-fn.example.run.app';
    const serviceAccount = 'scheduler@mimicbot.iam.gserviceaccount.com';
    const client = new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: google.certsUrl } });
    try {
      await start({ TRIGGER_SECRET: '', SCHEDULER_AUDIENCE: audience, SCHEDULER_SERVICE_ACCOUNT: serviceAccount, DRY_RUN: '1' }, {
        trigger: { serviceAccount, verifier: googleIdTokenVerifier(audience, client) },
      });
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      expect((await trigger(bearer(google.idToken({ aud: audience, email: serviceAccount })))).status).toBe(200);
      const refused = [
        google.idToken({ aud: audience, email: 'intruder@evil.iam.gserviceaccount.com' }),
        google.idToken({ aud: 'https://some-other-service.run.app', email: serviceAccount }),
        google.idToken({ aud: audience, email: serviceAccount, expiresInS: -600 }),
        google.idToken({ aud: audience, email: serviceAccount, signWith: 'stranger' }),
      ];
      for (const token of refused) expect((await trigger(bearer(token))).status).toBe(401);
      // A secret header is no way in when only OIDC is configured.
      expect((await trigger({ 'x-trigger-secret': TRIGGER_SECRET })).status).toBe(401);
    } finally {
      await google.stop();
    }
  });

  it('fails with 429 and the reset time when X\'s rate limit resets later than it may wait', async () => {
    await start();
    const resetAt = Math.floor(Date.now() / 1000) + 900;
    x.postRateLimitResetAt = resetAt;
    const response = await trigger();
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ status: 'rate_limited', retryAt: new Date(resetAt * 1000).toISOString(), attempts: 1 });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(880);
    expect(x.posted).toEqual([]);
  });

  it('waits for a rate limit that resets within MAX_RATE_LIMIT_WAIT_MS, then posts', async () => {
    await start({ MAX_RATE_LIMIT_WAIT_MS: '5000' });
    x.spentPosts = { count: 1, resetInS: 1 };
    const response = await trigger();
    expect(response.status).toBe(200);
    expect(x.posted).toHaveLength(1);
    expect(tweetPosts().length).toBe(2);
    expect(logs.some((line) => line.includes('rate_limited_waiting'))).toBe(true);
  });

  it('with DRY_RUN=1 logs the tweet instead of posting it', async () => {
    await start({ DRY_RUN: '1' });
    const response = await trigger();
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: 'posted', id: 'dry-run-1', dryRun: true });
    expect(x.requests).toEqual([]);
    expect(logs.some((line) => line.includes('dry_run_post') && line.includes(JSON.stringify(body.text).slice(1, -1)))).toBe(true);
  });

  it('answers mentions since the last answered id, as replies, skipping its own posts', async () => {
    const deps = await start({ REPLY_TO_MENTIONS: '1' });
    x.mentions = [
      { id: '1900000000000000101', text: '@mimicbot old one', author_id: '7' },
      { id: '1900000000000000102', text: '@mimicbot older news', author_id: '8' },
    ];
    // First run: remembers the newest mention, answers none of the backlog.
    let body = await (await trigger()).json();
    expect(body.mentions).toMatchObject({ replied: [], seeded: '1900000000000000102' });
    expect(await deps.store.get(LAST_MENTION_KEY)).toBe('1900000000000000102');

    x.mentions.push(
      { id: '1900000000000000105', text: '@mimicbot tell me a story', author_id: '7' },
      { id: '1900000000000000103', text: '@mimicbot what now?', author_id: '9' },
      { id: '1900000000000000104', text: '@mimicbot talking to myself', author_id: x.me.id },
    );
    body = await (await trigger()).json();
    expect(body.mentions.replied.map((r: { mentionId: string }) => r.mentionId)).toEqual(['1900000000000000103', '1900000000000000105']);
    expect(body.mentions.skipped).toEqual(['1900000000000000104']);
    const replies = tweetPosts().filter((r) => (r.body as { reply?: unknown }).reply);
    expect(replies.map((r) => (r.body as { reply: { in_reply_to_tweet_id: string } }).reply.in_reply_to_tweet_id)).toEqual([
      '1900000000000000103',
      '1900000000000000105',
    ]);
    const timelineCalls = x.requests.filter((r) => r.path === '/2/users/1000/mentions');
    expect(timelineCalls.at(-1)!.query.since_id).toBe('1900000000000000102');
    expect(await deps.store.get(LAST_MENTION_KEY)).toBe('1900000000000000105');
    expect(x.requests.filter((r) => r.path === '/2/users/me')).toHaveLength(1);

    body = await (await trigger()).json();
    expect(body.mentions.replied).toEqual([]);
    expect(x.authFailures).toEqual([]);
  });

  it('answers 503 with a clear error when the model server is down', async () => {
    await start({}, {}, 'http://127.0.0.1:9');
    const response = await trigger();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'model_unavailable', error: { message: expect.stringContaining('could not reach the model server') } });
  });
});

describe('the X function with model text the test controls', () => {
  // A random tiny model cannot be made to say a given long or offensive line, so these two wiring checks
  // use a scripted stand-in for the model; the pure pipeline has its own unit tests (prepare-tweet.test.ts).
  it('regenerates on X\'s duplicate 403, up to MAX_ATTEMPTS, then skips the slot saying why', async () => {
    // The same line every time: the first run posts it, the second meets duplicates on every draw.
    const standIn = await startStandInModel(Array(16).fill('the same old line'));
    try {
      // Its own memory of recent posts off, so X's refusal is what stops the repeats.
      await start({ MAX_ATTEMPTS: '3', RECENT_POSTS_DAYS: '0' }, {}, standIn.url);
      expect(await (await trigger()).json()).toMatchObject({ status: 'posted', text: 'the same old line' });
      const callsBefore = standIn.calls;
      const response = await trigger();
      expect(response.status).toBe(200);
      // Four drafts a draw, all the same text: X is asked once, the other eleven are known duplicates.
      expect(await response.json()).toEqual({ status: 'skipped', attempts: 3, drafts: 12, rejected: { duplicate: 12 } });
      expect(standIn.calls - callsBefore).toBe(3);
      expect(tweetPosts()).toHaveLength(2);
      expect(x.posted).toHaveLength(1);
      expect(logs.filter((line) => line.includes('"post_decision"')).at(-1)).toContain('"status":"nothing_passed"');
    } finally {
      await standIn.stop();
    }
  });

  it('does not post what it posted lately, drawing again without asking X', async () => {
    const standIn = await startStandInModel(Array(16).fill('the same old line'));
    try {
      await start({ MAX_ATTEMPTS: '3' }, {}, standIn.url);
      expect(await (await trigger()).json()).toMatchObject({ status: 'posted', text: 'the same old line' });
      const postsBefore = x.requests.filter((r) => r.method === 'POST').length;
      const response = await trigger();
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'skipped', attempts: 3, drafts: 12, rejected: { posted_recently: 12 } });
      expect(x.requests.filter((r) => r.method === 'POST').length).toBe(postsBefore);
      expect(x.posted).toHaveLength(1);
    } finally {
      await standIn.stop();
    }
  });

  it('cuts a too-long generation (URL, emoji) at a word boundary to weighted <= 280 before posting', async () => {
    const words = (count: number, tag: string) => Array.from({ length: count }, (_, i) => `${tag}${i}`).join(' ');
    const long = `${words(30, 'fox🦊')} https://example.com/abcdefghijklmnopqrstuvwxyz0123456789 ${words(40, 'jump')}<|endoftext|>junk`;
    const standIn = await startStandInModel([long]);
    try {
      await start({}, {}, standIn.url);
      const response = await trigger();
      expect(response.status).toBe(200);
      const text = x.posted[0].text;
      expect(weightedLength(text)).toBeLessThanOrEqual(280);
      expect(weightedLength(text)).toBeGreaterThan(270);
      expect(long.startsWith(text)).toBe(true);
      expect(long[text.length]).toBe(' ');
      expect(text).toContain('https://example.com/abcdefghijklmnopqrstuvwxyz0123456789');
    } finally {
      await standIn.stop();
    }
  });

  it('never posts a bidirectional override the model wrote, nor any other invisible control', async () => {
    const standIn = await startStandInModel(['look \u202Eereh\u202C at\u200B this\u0007']);
    try {
      await start({}, {}, standIn.url);
      expect((await trigger()).status).toBe(200);
      expect(x.posted.map((t) => t.text)).toEqual(['look ereh at this']);
    } finally {
      await standIn.stop();
    }
  });

  it('drops generations the output filter blocks and posts the next clean one', async () => {
    const standIn = await startStandInModel(['this is a damn shame', 'a perfectly nice day']);
    try {
      await start({ OUTPUT_FILTER_WORDS: 'damn' }, {}, standIn.url);
      const body = await (await trigger()).json();
      // Both lines come in the first draw's four drafts; the blocked one is turned down, the next one posted.
      expect(body).toMatchObject({ status: 'posted', text: 'a perfectly nice day', attempts: 1 });
      expect(x.posted.map((t) => t.text)).toEqual(['a perfectly nice day']);
      expect(logs.join('\n')).not.toContain('damn');
    } finally {
      await standIn.stop();
    }
  });
});

describe('the X function as deployed code (src/index.ts, config from the environment)', () => {
  it('refuses to start with a bad environment, printing every problem on its own line and no stack', async () => {
    const { code, output } = await functionStartFailure('twitter', { DRY_RUN: '1', MAX_ATTEMPTS: '0' });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      'twitter: cannot start: 3 problems with its environment variables:',
      expect.stringMatching(/^  MODEL_ENDPOINT: is required/),
      expect.stringMatching(/^  TRIGGER_SECRET: or SCHEDULER_AUDIENCE/),
      '  MAX_ATTEMPTS: must be an integer from 1 to 20, got "0"',
    ]);
  });

  it('serves a dry run from its environment, logging the tweet and no secret', async () => {
    const fn = await startFunctionProcess('twitter', {
      DRY_RUN: '1',
      TRIGGER_SECRET,
      MODEL_ENDPOINT: model.url,
      MAX_TOKENS: '8',
      ...x.clientEnv(),
    });
    try {
      const response = await fetch(fn.url, { method: 'POST', headers: { 'x-trigger-secret': TRIGGER_SECRET } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'posted', dryRun: true });
      expect((await fetch(fn.url, { method: 'POST' })).status).toBe(401);
      await expect.poll(() => fn.output()).toContain('dry_run_post');
      for (const secret of secrets) expect(fn.output()).not.toContain(secret);
    } finally {
      await fn.stop();
    }
  });
});
