import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeX, type FakeTweet, type FakeX, type FakeXOptions } from '@mimicbot/training/testing';
import { fetchTimeline, XFetchError, type FetchEvent } from './fetch-timeline.js';
import type { Clock } from './rate-limit-wait.js';
import { createXClient } from './x-client.js';

const TOKEN = 'test-bearer-token';
const USER_ID = '2244994945';

/** 250 posts, ids 1000..1249, one retweet, one reply to someone else, one self-reply, one long post. */
function timeline(): FakeTweet[] {
  const tweets: FakeTweet[] = [];
  for (let i = 0; i < 250; i++) {
    tweets.push({ id: String(1000 + i), text: `post number ${i} &amp; more`, created_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() });
  }
  tweets[10] = { ...tweets[10], text: 'RT @other: not mine', retweet: true };
  tweets[20] = { ...tweets[20], text: '@other thanks', in_reply_to_user_id: '42' };
  tweets[30] = { ...tweets[30], text: 'and another thing', in_reply_to_user_id: USER_ID };
  tweets[40] = { ...tweets[40], text: 'a long post that X cut …', note_tweet: { text: 'a long post that X cut short in text but not in note_tweet' } };
  return tweets;
}

/** A clock whose sleep returns at once and moves time on, so a 15-minute window passes instantly. */
function fakeClock(startMs: number): Clock & { slept: number } {
  let now = startMs;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
      clock.slept += ms;
    },
  };
  return clock;
}

async function readJsonl(file: string): Promise<{ id: string; text: string; created_at: string; reply_to?: string }[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

describe('fetchTimeline against a fake X API on 127.0.0.1', () => {
  let dir: string;
  let fake: FakeX | undefined;
  const start = async (options: Partial<FakeXOptions> = {}) => {
    fake = await startFakeX({ bearerToken: TOKEN, users: [{ id: USER_ID, username: 'XDevelopers', tweets: timeline() }], ...options });
    return createXClient({ bearerToken: TOKEN, apiUrl: fake.url });
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fetch-'));
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('looks the user up, pages through the timeline 100 at a time and writes {id, created_at, text} JSONL', async () => {
    const api = await start();
    const outFile = join(dir, 'x.jsonl');
    const summary = await fetchTimeline({ username: 'xdevelopers', includeReplies: false, outFile }, { api, clock: fakeClock(Date.now()) });
    expect(fake!.requests[0]).toBe('/2/users/by/username/xdevelopers');
    expect(fake!.requests[1]).toBe(
      '/2/users/2244994945/tweets?max_results=100&exclude=retweets&tweet.fields=created_at%2Cin_reply_to_user_id%2Creferenced_tweets%2Cnote_tweet',
    );
    expect(fake!.requests.slice(2).map((r) => new URL(r, 'http://x').searchParams.get('pagination_token'))).toEqual([
      Buffer.from('offset:100').toString('base64url'),
      Buffer.from('offset:200').toString('base64url'),
    ]);
    const records = await readJsonl(outFile);
    // 250 minus the retweet (excluded by X) minus the reply to another account (excluded here)
    expect(records).toHaveLength(248);
    expect(summary).toMatchObject({ userId: USER_ID, added: 248, total: 248, skippedReplies: 1 });
    expect(records[0]).toEqual({ id: '1249', created_at: '2026-01-01T04:09:00.000Z', text: 'post number 249 &amp; more' });
    expect(records.find((r) => r.id === '1030')?.text).toBe('and another thing'); // own thread kept
    expect(records.find((r) => r.id === '1040')?.text).toBe('a long post that X cut short in text but not in note_tweet');
    expect(records.some((r) => r.text.startsWith('RT @') || r.text.startsWith('@other'))).toBe(false);
    expect(new Set(records.map((r) => r.id)).size).toBe(248);
  });

  it('keeps replies to others, marked with reply_to, when asked', async () => {
    const api = await start();
    const outFile = join(dir, 'x.jsonl');
    await fetchTimeline({ username: 'XDevelopers', includeReplies: true, outFile }, { api, clock: fakeClock(Date.now()) });
    const reply = (await readJsonl(outFile)).find((r) => r.id === '1020');
    expect(reply).toMatchObject({ text: '@other thanks', reply_to: '42' });
  });

  it('on 429 waits until x-rate-limit-reset with a countdown, then carries on from the same page', async () => {
    const nowMs = Date.UTC(2026, 5, 1, 12, 0, 0);
    const resetSec = nowMs / 1000 + 900;
    const api = await start({ failures: new Map([[2, { status: 429, resetSec }]]), windowResetSec: resetSec });
    const clock = fakeClock(nowMs);
    const events: FetchEvent[] = [];
    const outFile = join(dir, 'x.jsonl');
    const summary = await fetchTimeline(
      { username: 'XDevelopers', includeReplies: false, outFile },
      { api, clock, onEvent: (e) => events.push(e) },
    );
    expect(summary.total).toBe(248);
    const waits = events.filter((e) => e.type === 'rate-limit');
    // one tick per second of the 15-minute window (+1 s margin), counting down to 0
    expect(waits[0]).toMatchObject({ remainingMs: 901_000, resumeAtMs: resetSec * 1000 + 1000 });
    expect(waits.at(-1)).toMatchObject({ remainingMs: 0 });
    expect(waits.length).toBe(902);
    expect(clock.slept).toBe(901_000);
    // the failed page was asked for again with the same token
    const tokens = fake!.requests.slice(1).map((r) => new URL(r, 'http://x').searchParams.get('pagination_token'));
    const second = Buffer.from('offset:100').toString('base64url');
    expect(tokens).toEqual([null, second, second, Buffer.from('offset:200').toString('base64url')]);
  });

  it('waits for the window before the next page when x-rate-limit-remaining reaches 0', async () => {
    const nowMs = Date.UTC(2026, 5, 1, 12, 0, 0);
    const api = await start({ windowLimit: 1, windowResetSec: nowMs / 1000 + 60 });
    const clock = fakeClock(nowMs);
    await fetchTimeline({ username: 'XDevelopers', includeReplies: false, outFile: join(dir, 'x.jsonl') }, { api, clock });
    expect(clock.slept).toBe(61_000); // once: after that the fake's reset lies in the past
  });

  it('resumes an interrupted run from the saved pagination token without duplicating posts', async () => {
    const api = await start({ failures: new Map([[3, { status: 503 }]]) });
    const outFile = join(dir, 'x.jsonl');
    const options = { username: 'XDevelopers', includeReplies: false, outFile };
    const clock = fakeClock(Date.now());
    await expect(fetchTimeline(options, { api, clock })).rejects.toThrow('X answered 503: Service Unavailable');
    expect(await readJsonl(outFile)).toHaveLength(200); // pages 1 and 2: ids 1249..1050
    const state = JSON.parse(await readFile(`${outFile}.state.json`, 'utf8'));
    expect(state).toMatchObject({ userId: USER_ID, paginationToken: Buffer.from('offset:200').toString('base64url') });
    // a crash in the middle of an append leaves half a line; resuming cuts it off
    await writeFile(outFile, (await readFile(outFile, 'utf8')) + '{"id":"10');

    const before = fake!.requests.length;
    const summary = await fetchTimeline(options, { api, clock });
    const resumed = fake!.requests.slice(before);
    expect(resumed).toHaveLength(1); // no user lookup, no first page again
    expect(resumed[0]).toContain(`pagination_token=${state.paginationToken}`);
    const records = await readJsonl(outFile);
    expect(records).toHaveLength(248);
    expect(new Set(records.map((r) => r.id)).size).toBe(248);
    expect(summary).toMatchObject({ added: 48, total: 248 });
  });

  it('asks a finished download only for newer posts next time (since_id)', async () => {
    const api = await start();
    const outFile = join(dir, 'x.jsonl');
    const options = { username: 'XDevelopers', includeReplies: false, outFile };
    await fetchTimeline(options, { api, clock: fakeClock(Date.now()) });
    const before = fake!.requests.length;
    const summary = await fetchTimeline(options, { api, clock: fakeClock(Date.now()) });
    expect(fake!.requests.slice(before)).toHaveLength(1);
    expect(fake!.requests.at(-1)).toContain('since_id=1249');
    expect(summary).toMatchObject({ added: 0, total: 248 });
  });

  it('says clearly when the user does not exist or the token is refused', async () => {
    const api = await start();
    await expect(
      fetchTimeline({ username: 'nobody_here', includeReplies: false, outFile: join(dir, 'n.jsonl') }, { api, clock: fakeClock(0) }),
    ).rejects.toThrow('X has no user @nobody_here (Could not find user with username: [nobody_here].)');
    const wrong = createXClient({ bearerToken: 'wrong', apiUrl: fake!.url });
    const error = await fetchTimeline(
      { username: 'XDevelopers', includeReplies: false, outFile: join(dir, 'w.jsonl') },
      { api: wrong, clock: fakeClock(0) },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XFetchError);
    expect((error as XFetchError).code).toBe('X_AUTH');
    expect((error as Error).message).toBe('X refused the bearer token (401: Unauthorized); check X_BEARER_TOKEN');
    expect((error as Error).message).not.toContain('wrong');
  });

  it('names the problem when X answers 200 with only errors (a protected account)', async () => {
    fake = await startFakeX({ bearerToken: TOKEN, users: [{ id: '9', username: 'locked', tweets: timeline(), protected: true }] });
    const api = createXClient({ bearerToken: TOKEN, apiUrl: fake.url });
    await expect(
      fetchTimeline({ username: 'locked', includeReplies: false, outFile: join(dir, 'l.jsonl') }, { api, clock: fakeClock(0) }),
    ).rejects.toThrow('X gave no posts for @locked: Sorry, you are not authorized to see the user with id: [9].');
  });

  it('refuses a state file made for another user or other flags', async () => {
    const api = await start();
    const outFile = join(dir, 'x.jsonl');
    await fetchTimeline({ username: 'XDevelopers', includeReplies: false, outFile }, { api, clock: fakeClock(0) });
    await expect(fetchTimeline({ username: 'XDevelopers', includeReplies: true, outFile }, { api, clock: fakeClock(0) })).rejects.toThrow(
      'was made leaving out replies to others',
    );
    await expect(fetchTimeline({ username: 'someone', includeReplies: false, outFile }, { api, clock: fakeClock(0) })).rejects.toThrow(
      'belongs to @XDevelopers, not @someone',
    );
  });
});
