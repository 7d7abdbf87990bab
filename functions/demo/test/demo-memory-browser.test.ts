/**
 * The demo's personas, feedback and memory in real Chromium, against the demo function under
 * functions-framework on a real socket, with one real model server serving a folder of two different tiny
 * random models (zippy and dril): both personas answer
 * one prompt side by side, each with its own description; 👍/👎 land in the feedback store, with the seed
 * that draws the same reply again; the conversation survives a reload and is gone after "Delete my
 * history"; suggestions appear as the visitor types, and a prompt liked by too few never does. The
 * screenshot of the side-by-side view goes to demo-side-by-side.png in DEMO_SCREENSHOTS (see demo-browser.test.ts).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS } from './browser.js';
import { cleanGeneratedText, createMemoryFeedbackStore, type FeedbackStore, type RatedReply } from '@mimicbot/functions-shared';
import { runFunction, startTinyModelServer, type RunningFunction, type RunningModelServer } from '@mimicbot/functions-shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { demoDepsFromConfig } from '../src/from-config.js';
import { createDemoHandler } from '../src/handler.js';

const assets = SCREENSHOTS;

let server: RunningModelServer;
let feedback: FeedbackStore;
let fn: RunningFunction;
let browser: Browser;
const env = { MAX_TOKENS: '12', TEMPERATURE: '0.9', TOP_P: '0.95' };

/** A demo function with both personas; `store` is where it keeps shown replies and ratings. */
function startDemo(store: FeedbackStore): Promise<RunningFunction> {
  const config = parseConfig({
    ...env,
    MODEL_ENDPOINT: server.url,
    MODEL_NAMES: 'zippy,dril',
    // More draws than the default, so a random model seldom fails the gate on every one.
    MAX_ATTEMPTS: '8',
    RATE_LIMIT_PER_MINUTE: '100',
    SUGGESTED_PROMPTS: 'Mondays are for|Coffee or tea?',
    SUGGEST_MIN_VOTERS: '2',
  });
  // Seeds from a fixed sequence, so a run is the same every time (a random model can fail the gate on every draw).
  let draws = 0;
  return runFunction(createDemoHandler({ ...demoDepsFromConfig(config, () => {}, store), newSeed: () => 2000 + 7919 * ++draws }));
}

beforeAll(async () => {
  // No completion cache: a redraw with the saved seed must run the model again, not replay the first answer.
  server = await startTinyModelServer({ CACHE_MAX_ENTRIES: '0' }, { models: { zippy: 7, dril: 11 } });
  feedback = createMemoryFeedbackStore();
  fn = await startDemo(feedback);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fn?.stop();
  await server?.stop();
});

async function rated(): Promise<RatedReply[]> {
  const all: RatedReply[] = [];
  for await (const reply of feedback.ratedReplies()) all.push(reply);
  return all;
}

/** Both columns of the newest exchange, once each is finished. */
async function pairDone(page: Page, index: number) {
  const columns = page.locator('#chat .pair').nth(index).locator('.bot');
  await expect.poll(() => columns.count()).toBe(2);
  for (const i of [0, 1]) await columns.nth(i).and(page.locator('[data-state]')).waitFor({ timeout: 60_000 });
  return columns;
}

/** What the real server says to this prompt with this seed and the demo's settings, drawn directly. */
async function drawDirectly(model: string, prompt: string, seed: number): Promise<string> {
  const body = { model, prompt, seed, max_tokens: Number(env.MAX_TOKENS), temperature: Number(env.TEMPERATURE), top_p: Number(env.TOP_P) };
  const response = await fetch(`${server.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return ((await response.json()) as { choices: { text: string }[] }).choices[0].text;
}

describe('the demo page with two personas, feedback and memory, in Chromium', () => {
  it('answers one prompt with both personas side by side, takes 👍/👎 into the store, keeps the conversation across a reload and deletes it', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(fn.url);

    // Two columns, each the persona's name and its own model's description from the server.
    const prompt = 'The best thing about Mondays is';
    await page.getByLabel('Start the bot off (optional)').fill(prompt);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const columns = await pairDone(page, 0);
    expect(await columns.locator('.who').allTextContents()).toEqual(['zippy', 'dril']);
    const descriptions = await columns.locator('.persona-description').allTextContents();
    expect(descriptions[0]).toMatch(/^Random weights \(seed 7\)/);
    expect(descriptions[1]).toMatch(/^Random weights \(seed 11\)/);
    const boxes = await Promise.all([0, 1].map((i) => columns.nth(i).boundingBox()));
    expect(boxes[1]!.x).toBeGreaterThan(boxes[0]!.x + boxes[0]!.width - 1);
    expect(Math.abs(boxes[1]!.y - boxes[0]!.y)).toBeLessThan(2);

    // Each column is its own model's reply: the saved seed draws it again from that model alone.
    const shown = await columns.locator('.text').allTextContents();
    const states = await Promise.all([0, 1].map((i) => columns.nth(i).getAttribute('data-state')));
    // A random model's drafts may all fail the gate; this test needs both columns to have a reply.
    expect(states).toEqual(['done', 'done']);
    await columns.nth(0).getByRole('button', { name: 'Good reply' }).click();
    await expect.poll(() => columns.nth(0).getAttribute('data-rating')).toBe('up');
    await columns.nth(1).getByRole('button', { name: 'Bad reply' }).click();
    await expect.poll(() => columns.nth(1).getAttribute('data-rating')).toBe('down');
    const ratings = await rated();
    const up = ratings.find((r) => r.up === 1)!;
    const down = ratings.find((r) => r.down === 1)!;
    expect(up.reply).toMatchObject({ surface: 'demo', model: 'zippy', prompt, settings: { maxTokens: 12, temperature: 0.9, topP: 0.95 } });
    expect(down.reply).toMatchObject({ surface: 'demo', model: 'dril', prompt });
    expect(shown[0]).toBe(`${prompt}${shown[0].slice(prompt.length)}`);
    expect(shown[0].endsWith(up.reply.text)).toBe(true);
    expect(shown[1].endsWith(down.reply.text)).toBe(true);
    expect(cleanGeneratedText(await drawDirectly('zippy', prompt, up.reply.seed!)).trim()).toContain(up.reply.text);
    expect(cleanGeneratedText(await drawDirectly('dril', prompt, down.reply.seed!)).trim()).toContain(down.reply.text);
    expect(await columns.nth(0).getByRole('button', { name: 'Good reply' }).getAttribute('aria-pressed')).toBe('true');

    // 👍 again takes it back.
    await columns.nth(0).getByRole('button', { name: 'Good reply' }).click();
    await expect.poll(async () => (await rated()).some((r) => r.reply.model === 'zippy')).toBe(false);
    await columns.nth(0).getByRole('button', { name: 'Good reply' }).click();
    await expect.poll(async () => (await rated()).some((r) => r.reply.model === 'zippy' && r.up === 1)).toBe(true);

    mkdirSync(assets, { recursive: true });
    await page.screenshot({ path: resolve(assets, 'demo-side-by-side.png') });

    // The conversation and the ratings come back on reload, from this browser's storage.
    await page.reload();
    const again = await pairDone(page, 0);
    expect(await again.locator('.text').allTextContents()).toEqual(shown);
    expect(await page.locator('#chat .me .text').allTextContents()).toEqual([prompt]);
    expect(await again.nth(0).getAttribute('data-rating')).toBe('up');
    expect(await again.nth(1).getAttribute('data-rating')).toBe('down');
    const voter = await page.evaluate(() => localStorage.getItem('mimicbot.voter'));
    expect(voter).toMatch(/^[a-f0-9]{32}$/);

    // Deleting forgets the conversation and the voter id, and a reload shows nothing.
    await page.getByRole('button', { name: 'Delete my history' }).click();
    expect(await page.locator('#chat > li').count()).toBe(0);
    expect(await page.locator('#empty').isVisible()).toBe(true);
    expect(await page.evaluate(() => [localStorage.getItem('mimicbot.history'), localStorage.getItem('mimicbot.voter')])).toEqual([null, null]);
    await page.reload();
    await page.getByRole('button', { name: 'Generate', exact: true }).waitFor();
    expect(await page.locator('#chat > li').count()).toBe(0);
    await context.close();
  }, 240_000);

  it("suggests the maker's prompts and prompts liked by enough voters as the visitor types, never one liked by too few", async () => {
    // Its own function and store: the suggestions a function offers are read from its store once a minute.
    const demo = await startDemo(createMemoryFeedbackStore());
    // Two visitors' prompts, each answered by zippy: one liked by two voters, one by a single voter.
    const liked = await post(demo, { prompt: 'Lunch is the best', model: 'zippy' });
    const secret = await post(demo, { prompt: 'Lunch plans with Sam', model: 'zippy' });
    for (const voter of ['a'.repeat(32), 'b'.repeat(32)]) expect((await rate(demo, liked.replyId, voter)).status).toBe(204);
    expect((await rate(demo, secret.replyId, 'c'.repeat(32))).status).toBe(204);

    const page = await browser.newPage();
    await page.goto(demo.url);
    const box = page.getByLabel('Start the bot off (optional)');
    const suggestions = page.getByRole('list', { name: 'Suggested prompts' });
    await box.pressSequentially('Mon');
    await expect.poll(() => suggestions.getByRole('button').allTextContents()).toEqual(['Mondays are for']);
    await box.fill('');
    await box.pressSequentially('lunch');
    await expect.poll(() => suggestions.getByRole('button').allTextContents()).toEqual(['Lunch is the best']);
    // Picking one puts it in the box, ready to send.
    await suggestions.getByRole('button', { name: 'Lunch is the best' }).click();
    expect(await box.inputValue()).toBe('Lunch is the best');
    expect(await suggestions.isHidden()).toBe(true);
    await page.close();
    await demo.stop();
  }, 120_000);
});

async function post(demo: RunningFunction, body: object): Promise<{ replyId: string }> {
  const response = await fetch(demo.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as { replyId?: string; text: string };
  // A random model's drafts may all fail the gate; this test needs a reply to rate.
  expect(answer.replyId, `no reply to ${JSON.stringify(body)}: ${JSON.stringify(answer)}`).toBeDefined();
  return answer as { replyId: string };
}

function rate(demo: RunningFunction, replyId: string, voter: string): Promise<Response> {
  return fetch(`${demo.url}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ replyId, rating: 'up', voter }) });
}
