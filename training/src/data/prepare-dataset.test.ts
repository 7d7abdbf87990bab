import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGpt2Tokenizer } from '../tokenizer/gpt2-tokenizer.js';
import { DEFAULT_CLEAN_OPTIONS } from './clean-tweet.js';
import { splitByHash, splitPoint } from './dataset-split.js';
import { prepareDataset, splitTrainingText, trainingText, type PrepareOptions, type TokenCounter } from './prepare-dataset.js';
import { tokenStats } from './token-stats.js';
import { parseTweetJsonl } from './tweet-jsonl.js';
import { writeDataset } from './write-dataset.js';

const OPTIONS: PrepareOptions = { ...DEFAULT_CLEAN_OPTIONS, validFraction: 0.1 };
const line = (id: string, text: string, extra: object = {}) => JSON.stringify({ id, created_at: '2026-01-01T00:00:00.000Z', text, ...extra });

describe('prepare', () => {
  let gpt2: TokenCounter;
  let dir: string;
  beforeAll(async () => {
    const files = buildGpt2Tokenizer();
    const tokenizer = new Tokenizer(files.tokenizerJson, files.tokenizerConfig);
    gpt2 = { name: 'gpt2', count: (t) => tokenizer.encode(t).ids.length };
    dir = await mkdtemp(join(tmpdir(), 'prepare-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('cleans, filters, dedupes across files, splits and counts with the GPT-2 tokenizer', () => {
    const a = [
      line('1', 'Hello world'),
      line('2', 'RT @x: not mine at all'),
      line('3', '@friend a reply'),
      line('4', 'https://t.co/only-a-link'),
      line('5', 'fish &amp; chips https://t.co/x'),
      ...Array.from({ length: 40 }, (_, i) => line(String(100 + i), `post number ${i} of the set`)),
    ].join('\n');
    const b = [line('6', 'hello   WORLD'), line('7', 'fish & chips')].join('\n') + '\n';
    const result = prepareDataset([parseTweetJsonl('a.jsonl', a), parseTweetJsonl('b.jsonl', b)], OPTIONS, gpt2);
    const all = [...result.train, ...result.valid];
    expect(all).toContain('Hello world');
    expect(all).toContain('fish & chips');
    expect(all).toHaveLength(42);
    expect(result.summary.counts).toEqual({
      read: 47,
      kept: 42,
      train: result.train.length,
      valid: result.valid.length,
      dropped: { retweet: 1, reply: 1, 'near-empty': 1, 'too-long': 0, duplicate: 2 },
      skippedLines: 0,
    });
    expect(result.valid.length).toBeGreaterThan(0);
    expect(result.train.length).toBeGreaterThan(result.valid.length);
    // "Hello world" is [15496, 995] in GPT-2; every post adds one <|endoftext|>
    const both = result.summary.tokens.train.totalTokens + result.summary.tokens.valid.totalTokens;
    expect(both).toBe(all.reduce((s, t) => s + gpt2.count(t) + 1, 0));
    expect(gpt2.count('Hello world')).toBe(2);
  });

  it('puts each post in the same split on every run, whatever else is in the dataset', () => {
    const posts = Array.from({ length: 200 }, (_, i) => ({ id: String(5000 + i) }));
    const full = splitByHash(posts, (p) => `id:${p.id}`, 0.1);
    const half = splitByHash(posts.slice(0, 100), (p) => `id:${p.id}`, 0.1);
    const validIds = new Set(full.valid.map((p) => p.id));
    for (const p of half.valid) expect(validIds.has(p.id)).toBe(true);
    expect(full.valid.length).toBeGreaterThan(5);
    expect(full.valid.length).toBeLessThan(40);
    expect(splitPoint('id:1')).toBe(splitPoint('id:1'));
    // two posts and a fraction too small to catch either: one still goes to validation
    expect(splitByHash([{ id: 'a' }, { id: 'b' }], (p) => p.id, 0.0001).valid).toHaveLength(1);
  });

  it('reports malformed lines as file:line and keeps the good ones', () => {
    const content = [line('1', 'first good post'), '{"id": "2", "text": "cut off', '', '[1,2]', '{"id":"3"}', line('4', 'second good post')].join('\n');
    const parsed = parseTweetJsonl('in.jsonl', content);
    expect(parsed.records.map((r) => r.id)).toEqual(['1', '4']);
    expect(parsed.problems.map((p) => `${p.file}:${p.line}: ${p.problem}`)).toEqual([
      expect.stringMatching(/^in\.jsonl:2: not valid JSON \(/),
      'in.jsonl:4: expected a JSON object per line',
      'in.jsonl:5: no "text" string',
    ]);
    const result = prepareDataset([parsed], OPTIONS, gpt2);
    expect(result.summary.counts.skippedLines).toBe(3);
    expect(result.summary.sources).toEqual([{ file: 'in.jsonl', posts: 2, skippedLines: 3 }]);
  });

  it('refuses a file that is not JSONL at all, saying what it is', () => {
    expect(() => parseTweetJsonl('archive.zip', 'PK\u0003\u0004\u0014\u0000')).toThrow('archive.zip: is a zip archive, not JSONL');
    expect(() => parseTweetJsonl('tweets.js', 'window.YTD.tweets.part0 = []')).toThrow("tweets.js: is an X archive's tweets.js");
    expect(() => parseTweetJsonl('tweets.csv', 'tweets\nhello\nworld')).toThrow('tweets.csv: is not JSONL');
    expect(() => parseTweetJsonl('bad.jsonl', '{oops\n{nope')).toThrow('bad.jsonl: no line is a post (2 bad lines; first: line 1');
  });

  it('writes train.txt and valid.txt with <|endoftext|> after every post, and dataset.json', async () => {
    const content = Array.from({ length: 30 }, (_, i) => line(String(i + 1), `line ${i}\nwith a break`)).join('\n');
    const result = prepareDataset([parseTweetJsonl('x.jsonl', content)], OPTIONS, gpt2);
    await writeDataset(join(dir, 'out'), result);
    const train = await readFile(join(dir, 'out', 'train.txt'), 'utf8');
    const valid = await readFile(join(dir, 'out', 'valid.txt'), 'utf8');
    expect(train).toBe(trainingText(result.train));
    expect(train.endsWith('<|endoftext|>')).toBe(true);
    expect(splitTrainingText(train)).toEqual(result.train);
    expect(splitTrainingText(valid)).toEqual(result.valid);
    const summary = JSON.parse(await readFile(join(dir, 'out', 'dataset.json'), 'utf8'));
    expect(summary).toMatchObject({ version: 1, separator: '<|endoftext|>', counts: { kept: 30 }, tokens: { tokenizer: 'gpt2' } });
  });

  it('computes mean and nearest-rank p95 tokens per post', () => {
    const texts = Array.from({ length: 20 }, (_, i) => 'x'.repeat(i + 1));
    expect(tokenStats(texts, (t) => t.length)).toEqual({ posts: 20, totalTokens: 210 + 20, meanPerPost: 10.5, p95PerPost: 19, maxPerPost: 20 });
    expect(tokenStats([], (t) => t.length)).toEqual({ posts: 0, totalTokens: 0, meanPerPost: 0, p95PerPost: 0, maxPerPost: 0 });
  });
});
