import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArchiveJs } from './archive-js.js';
import { importArchive } from './archive-import.js';

/** A tweet record as X's archive writes it: v1.1 field names, ids and counts as strings, text HTML-escaped. */
function archiveTweet(id: string, fullText: string, createdAt: string, extra: Record<string, unknown> = {}) {
  return {
    tweet: {
      edit_info: { initial: { editTweetIds: [id], editableUntil: '2023-01-01T00:00:00.000Z', editsRemaining: '5', isEditEligible: true } },
      retweeted: false,
      source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
      entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] },
      display_text_range: ['0', String(fullText.length)],
      favorite_count: '3',
      id_str: id,
      truncated: false,
      retweet_count: '0',
      id: id,
      created_at: createdAt,
      favorited: false,
      full_text: fullText,
      lang: 'en',
      ...extra,
    },
  };
}

const ytd = (name: string, part: number, entries: unknown[]) => `window.YTD.${name}.part${part} = ${JSON.stringify(entries, null, 2)}`;

const LONG =
  'This post is longer than 280 characters, so the archive cuts it and keeps the whole of it somewhere else. ' +
  'It goes on and on about how archives work, how X stores long posts as note tweets, and why an importer has ' +
  'to put the two halves back together by time because the note has no tweet id at all, which is odd but true.';

const tweetsPart0 = [
  archiveTweet('1500000000000000001', 'plain post with &gt; and &amp; in it', 'Mon Sep 16 17:12:53 +0000 2019'),
  archiveTweet('1500000000000000002', 'RT @someone: a retweet, cut at 140 chars…', 'Mon Sep 16 18:00:00 +0000 2019'),
  archiveTweet('1500000000000000003', '@friend a reply to a friend', 'Tue Sep 17 09:00:00 +0000 2019', {
    in_reply_to_status_id_str: '999',
    in_reply_to_status_id: '999',
    in_reply_to_user_id_str: '777',
    in_reply_to_user_id: '777',
    in_reply_to_screen_name: 'friend',
  }),
  archiveTweet('1500000000000000004', 'second post of my own thread', 'Tue Sep 17 09:01:00 +0000 2019', {
    in_reply_to_status_id_str: '1500000000000000001',
    in_reply_to_user_id_str: '12345',
    in_reply_to_screen_name: 'me',
  }),
  archiveTweet('1600000000000000005', `${LONG.slice(0, 270)}… https://t.co/abc123`, 'Wed Mar 01 10:00:00 +0000 2023'),
];
const tweetsPart1 = [
  archiveTweet('1400000000000000009', 'an older post from the second part', 'Sun Jan 01 00:00:00 +0000 2017'),
  archiveTweet('1500000000000000001', 'plain post with &gt; and &amp; in it', 'Mon Sep 16 17:12:53 +0000 2019'),
];
const noteTweets = [
  { noteTweet: { noteTweetId: '1600000000000000777', updatedAt: '2023-03-01T10:00:00.000Z', lifecycle: { value: 'published' }, createdAt: '2023-03-01T10:00:00.000Z', core: { styletags: [], urls: [], text: LONG, mentions: [], cashtags: [], hashtags: [] } } },
  { noteTweet: { noteTweetId: '1600000000000000778', createdAt: '2023-03-01T10:00:01.000Z', core: { text: 'A different note written in the same second' } } },
];
const account = [{ account: { email: 'me@example.org', createdVia: 'web', username: 'me', accountId: '12345', createdAt: '2010-01-01T00:00:00.000Z', accountDisplayName: 'Me' } }];

describe('importArchive', () => {
  let dir: string;
  let zipPath: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archive-'));
    zipPath = join(dir, 'twitter-2026-11-23-abc.zip');
    const zip = zipSync({
      'Your archive.html': strToU8('<html></html>'),
      'data/tweets.js': strToU8(ytd('tweets', 0, tweetsPart0)),
      'data/tweets-part1.js': strToU8(ytd('tweets', 1, tweetsPart1)),
      'data/note-tweet.js': strToU8(ytd('note_tweet', 0, noteTweets)),
      'data/account.js': strToU8(ytd('account', 0, account)),
      'data/like.js': strToU8(ytd('like', 0, [])),
      'data/tweets_media/1500000000000000001-abc.jpg': new Uint8Array(1000),
    });
    await writeFile(zipPath, zip);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads posts from a zip: retweets and replies to others out, own threads in, oldest first', async () => {
    const result = await importArchive(zipPath, { keepReplies: false });
    expect(result.files).toEqual([`${zipPath}:data/tweets.js`, `${zipPath}:data/tweets-part1.js`]);
    expect(result.account).toEqual({ accountId: '12345', username: 'me' });
    expect(result.records.map((r) => r.id)).toEqual([
      '1400000000000000009',
      '1500000000000000001',
      '1500000000000000004',
      '1600000000000000005',
    ]);
    expect(result.counts).toEqual({ posts: 4, retweets: 1, replies: 1, longPosts: 1, duplicates: 1, skipped: 0 });
    expect(result.records[1]).toEqual({
      id: '1500000000000000001',
      created_at: '2019-09-16T17:12:53.000Z',
      text: 'plain post with &gt; and &amp; in it', // kept as X wrote it; prepare unescapes
    });
  });

  it('completes a truncated long post from note-tweet.js, matched by time and opening words', async () => {
    const result = await importArchive(zipPath, { keepReplies: false });
    expect(result.records.find((r) => r.id === '1600000000000000005')?.text).toBe(LONG);
  });

  it('keeps replies to others with reply_to when asked', async () => {
    const result = await importArchive(zipPath, { keepReplies: true });
    expect(result.records.find((r) => r.id === '1500000000000000003')).toMatchObject({ text: '@friend a reply to a friend', reply_to: 'friend' });
  });

  it('reads an extracted folder and a bare tweets.js (older tweet.js name included)', async () => {
    const folder = join(dir, 'extracted');
    await mkdir(join(folder, 'data'), { recursive: true });
    await writeFile(join(folder, 'data', 'tweet.js'), ytd('tweet', 0, tweetsPart0));
    await writeFile(join(folder, 'data', 'note-tweet.js'), ytd('note_tweet', 0, noteTweets));
    const fromFolder = await importArchive(folder, { keepReplies: false });
    expect(fromFolder.records).toHaveLength(3);
    expect(fromFolder.counts.longPosts).toBe(1);
    const fromFile = await importArchive(join(folder, 'data', 'tweet.js'), { keepReplies: false });
    expect(fromFile.records).toEqual(fromFolder.records);
  });

  it('never evaluates the file: code after "=" is a JSON error with its line, not something that runs', () => {
    const text = 'window.YTD.tweets.part0 = [\n  {"tweet": {}},\n  (globalThis.pwned = true)\n]';
    expect(() => parseArchiveJs('evil/tweets.js', text)).toThrow(/^evil\/tweets\.js(:3)?: the data after "=" is not valid JSON/);
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
    // where JSON.parse gives a position, the message names the line
    const trailing = 'window.YTD.tweets.part0 = [\n  {"tweet": {}}\n]\nalert(1)';
    expect(() => parseArchiveJs('odd/tweets.js', trailing)).toThrow(/^odd\/tweets\.js:4: the data after "=" is not valid JSON/);
  });

  it('refuses files that are not archives, naming them', async () => {
    const pdf = join(dir, 'notes.pdf');
    await writeFile(pdf, '%PDF-1.4');
    await expect(importArchive(pdf, { keepReplies: false })).rejects.toThrow(`${pdf}: not an X archive`);
    const js = join(dir, 'app.js');
    await writeFile(js, 'console.log("hi")');
    await expect(importArchive(js, { keepReplies: false })).rejects.toThrow(`${js}: not an X archive data file`);
    const emptyZip = join(dir, 'empty.zip');
    await writeFile(emptyZip, zipSync({ 'data/like.js': strToU8(ytd('like', 0, [])) }));
    await expect(importArchive(emptyZip, { keepReplies: false })).rejects.toThrow(`${emptyZip}: no data/tweets.js`);
    await expect(importArchive(join(dir, 'missing.zip'), { keepReplies: false })).rejects.toThrow('no such file or folder');
  });

  it('reports records that are not posts and keeps the rest', async () => {
    const file = join(dir, 'odd', 'tweets.js');
    await mkdir(join(dir, 'odd'));
    await writeFile(file, ytd('tweets', 0, [{ tweet: { id_str: '1', full_text: 'fine post here' } }, { tweet: { favorite_count: '1' } }]));
    const result = await importArchive(file, { keepReplies: false });
    expect(result.records.map((r) => r.text)).toEqual(['fine post here']);
    expect(result.problems).toEqual([`${file}: record 2: not a post (no id_str or full_text)`]);
  });
});
