/**
 * The demo page in real Chromium, against the demo function under functions-framework on a real socket,
 * backed by the real model server: type, generate, watch the reply arrive, regenerate, do it all again
 * with the keyboard only; screenshots go to demo.png and demo-phone.png in DEMO_SCREENSHOTS (a folder: `assets`
 * to refresh the README's pictures; unset, a temporary folder, so a test run leaves the tree as it was). With a stand-in
 * model saying issue 11's drafts: the reply streams sentence by sentence, and no draft the quality gate
 * turns down is ever on the screen; the subtitle is the served model's description.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS } from './browser.js';
import {
  ISSUE_11,
  ISSUE_11_NEVER_SHOWN,
  runFunction,
  startStandInModel,
  startTinyModelServer,
  type RunningFunction,
  type RunningModelServer,
} from '@mimicbot/functions-shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { demoDepsFromConfig } from '../src/from-config.js';
import { createDemoHandler } from '../src/handler.js';
import { NEUTRAL_DESCRIPTION } from '../src/render-page.js';

const assets = SCREENSHOTS;

let model: RunningModelServer;
let fn: RunningFunction;
let browser: Browser;

beforeAll(async () => {
  model = await startTinyModelServer({}, { seed: 7 });
  // A random model's words often fail the quality gate: more draws than the default, each with a seed from a
  // fixed sequence, so a run is the same every time rather than failing when three random draws all do.
  const config = parseConfig({ MODEL_ENDPOINT: model.url, MAX_TOKENS: '16', RATE_LIMIT_PER_MINUTE: '100', MAX_ATTEMPTS: '8' });
  let draws = 0;
  fn = await runFunction(createDemoHandler({ ...demoDepsFromConfig(config), newSeed: () => 1000 + 7919 * ++draws, log: () => {} }));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fn?.stop();
  await model?.stop();
});

/** Records, in the page, every Content-Security-Policy violation from the moment it starts loading. */
async function recordCspViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => w.cspViolations.push(`${event.effectiveDirective} ${event.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** Records every change of the newest bot bubble's text until it is marked done, in the page itself. */
async function watchNextReply(page: Page, index: number): Promise<void> {
  await page.evaluate((i) => {
    const w = window as unknown as { updates: Record<number, string[]> };
    w.updates ??= {};
    w.updates[i] = [];
    new MutationObserver((_records, observer) => {
      const bubble = document.querySelectorAll('#chat .bot')[i] as HTMLElement | undefined;
      if (!bubble) return;
      // The final text and the done state can land in one batch of mutations: record the text first.
      const text = bubble.querySelector('.text')?.textContent ?? '';
      if (text && text !== w.updates[i].at(-1)) w.updates[i].push(text);
      if (bubble.dataset.state) observer.disconnect();
    }).observe(document.getElementById('chat')!, { subtree: true, childList: true, characterData: true, attributes: true });
  }, index);
}

async function replyDone(page: Page, index: number): Promise<{ text: string; updates: string[] }> {
  const bubble = page.locator('#chat .bot').nth(index);
  await bubble.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
  return {
    text: (await bubble.locator('.text').textContent()) ?? '',
    updates: await page.evaluate((i) => (window as unknown as { updates: Record<number, string[]> }).updates[i], index),
  };
}

describe('the demo page in Chromium', () => {
  it('streams a reply into a bubble, regenerates it, and works with the keyboard alone', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
    const violations = await recordCspViolations(page);
    const failed: string[] = [];
    page.on('response', (response) => void (response.status() >= 400 && failed.push(`${response.status()} ${response.url()}`)));
    await page.goto(fn.url);
    expect(await page.title()).toContain('mimicbot');

    // Mouse: type a prompt, click Generate, watch the text arrive in pieces.
    await watchNextReply(page, 0);
    await page.getByLabel('Start the bot off (optional)').fill('The best thing about Mondays is');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const first = await replyDone(page, 0);
    // One message: the prompt (set apart in italics), then what the bot went on with. A random model's
    // words seldom end a sentence, so they mostly arrive at the end, in one piece.
    expect(first.text.startsWith('The best thing about Mondays is')).toBe(true);
    expect(first.text.length).toBeGreaterThan('The best thing about Mondays is'.length);
    expect(await page.locator('#chat .bot .prompt').first().textContent()).toBe('The best thing about Mondays is');
    expect(await page.locator('#chat .bot .prompt').first().evaluate((e) => getComputedStyle(e).fontStyle)).toBe('italic');
    expect(first.updates.at(-1)).toBe(first.text);
    expect(await page.locator('#chat .me .text').first().textContent()).toBe('The best thing about Mondays is');
    await expect.poll(() => page.locator('#announcer').textContent()).toBe(`mimicbot says: ${first.text}`);

    // Regenerate replaces the same bubble's text, streaming again.
    await watchNextReply(page, 0);
    await page.getByRole('button', { name: 'Regenerate this reply' }).click();
    const again = await replyDone(page, 0);
    expect(again.text.startsWith('The best thing about Mondays is')).toBe(true);
    expect(await page.locator('#chat .bot').count()).toBe(1);

    // Keyboard only: Tab to the skip link, follow it to the prompt box, type, Enter.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the prompt box');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('prompt');
    await watchNextReply(page, 1);
    await page.keyboard.type('Keyboards are');
    await page.keyboard.press('Enter');
    // Focus stays in the prompt box for the next message.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('prompt');
    const third = await replyDone(page, 1);
    expect(third.text.startsWith('Keyboards are')).toBe(true);
    // Shift+Tab from the prompt box goes back up the page through the newest reply's 👎 and 👍 to its
    // Regenerate button.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Bad reply');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Good reply');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Regenerate this reply');
    expect(await page.evaluate(() => document.activeElement?.closest('.bot') === document.querySelectorAll('#chat .bot')[1])).toBe(true);
    await watchNextReply(page, 1);
    await page.keyboard.press('Enter');
    const fourth = await replyDone(page, 1);
    expect(fourth.text.startsWith('Keyboards are')).toBe(true);
    // Focus was not lost while the button was busy, and it shows a visible focus ring.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('regen'))).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');

    // All of it ran under the page's Content-Security-Policy, and nothing the page asked for was missing.
    expect(await violations()).toEqual([]);
    expect(failed).toEqual([]);

    mkdirSync(assets, { recursive: true });
    await page.screenshot({ path: resolve(assets, 'demo.png') });
    await page.close();
  }, 180_000);

  it('runs no script injected into the page, and shows its favicon', async () => {
    const page = await browser.newPage();
    const violations = await recordCspViolations(page);
    await page.goto(fn.url);
    // What a reply smuggling markup into the page could try: an inline script, an inline handler.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.pwned = "script"';
      document.body.append(script);
      document.body.insertAdjacentHTML('beforeend', '<img src="?asset=favicon.svg" onload="window.pwned = \'handler\'">');
    });
    await expect.poll(violations).toEqual(expect.arrayContaining([expect.stringMatching(/^script-src-elem inline/), expect.stringMatching(/^script-src-attr inline/)]));
    expect(await page.evaluate(() => (window as unknown as { pwned?: string }).pwned)).toBeUndefined();
    // The icon the page links loads as an image.
    const icon = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')!.href;
      const image = new Image();
      image.src = href;
      await image.decode();
      return { href, width: image.naturalWidth };
    });
    expect(icon.href).toBe(`${fn.url}/?asset=favicon.svg`);
    expect(icon.width).toBeGreaterThan(0);
    await page.close();
  });

  it('fits a phone screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await page.goto(fn.url);
    await watchNextReply(page, 0);
    await page.getByLabel('Start the bot off (optional)').fill('Coffee or tea?');
    await page.getByRole('button', { name: 'Generate', exact: true }).tap();
    await replyDone(page, 0);
    // Nothing wider than the screen: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await page.getByRole('button', { name: 'Generate', exact: true }).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await page.screenshot({ path: resolve(assets, 'demo-phone.png') });
    await page.close();
  });

  it('shows the slow note while the server has not answered yet, then the reply replaces it', async () => {
    // Timing the test controls: a stand-in that waits before its first byte, like a cold-starting server.
    const slowModel = await startStandInModel([' finally here it is'], { firstByteDelayMs: 1500 });
    const config = parseConfig({ MODEL_ENDPOINT: slowModel.url });
    const slowFn = await runFunction(createDemoHandler({ ...demoDepsFromConfig(config), log: () => {} }));
    const page = await browser.newPage();
    try {
      await page.goto(slowFn.url);
      await page.evaluate(() => (document.body.dataset.slowAfterMs = '300'));
      await page.getByRole('button', { name: 'Generate', exact: true }).click();
      await expect.poll(() => page.locator('#chat .bot .note').textContent(), { timeout: 5_000 }).toContain('taking a while');
      expect(await page.locator('#chat .bot .thinking').count()).toBe(1);
      await page.locator('#chat .bot[data-state="done"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('#chat .bot .note').count()).toBe(0);
      expect(await page.locator('#chat .bot .text').textContent()).toBe('finally here it is');
    } finally {
      await page.close();
      await slowFn.stop();
      await slowModel.stop();
    }
  });

  it("streams sentence by sentence, never shows a draft the gate turns down, and shows the model's description", async () => {
    const description = 'A small GPT-2 that writes like <Zippy> & friends.';
    const standIn = await startStandInModel(
      [
        // First reply: a clean sentence, then a loop (reset); a degenerate draft (never shown); then one
        // cut at the token limit, shown only up to its last sentence end.
        ` It went fine. ${ISSUE_11.degenerate[0]}. And more.`,
        ` ${ISSUE_11.degenerate[1]}`,
        { text: ` ${ISSUE_11.lengthCut}`, finishReason: 'length' },
        // Regenerated: a good reply of three sentences, streamed one at a time.
        ' Mondays are fine. Coffee helps. So does sleep.',
      ],
      // Words 150 ms apart, so each sentence reaches the page on its own.
      { description, wordDelayMs: 150 },
    );
    const config = parseConfig({ MODEL_ENDPOINT: standIn.url, MAX_ATTEMPTS: '4', RATE_LIMIT_PER_MINUTE: '100' });
    const gateFn = await runFunction(createDemoHandler({ ...demoDepsFromConfig(config), log: () => {} }));
    const page = await browser.newPage();
    try {
      await page.goto(gateFn.url);
      expect(await page.locator('#description').textContent()).toBe(description);
      expect(await page.locator('#description b, #description zippy').count()).toBe(0);
      expect(await page.locator('meta[name="description"]').getAttribute('content')).toBe(description);

      await watchNextReply(page, 0);
      await page.getByLabel('Start the bot off (optional)').fill('Mondays');
      await page.getByRole('button', { name: 'Generate', exact: true }).click();
      const first = await replyDone(page, 0);
      expect(first.text).toBe(`Mondays ${ISSUE_11.lengthCutKept}`);
      // Every state the bubble went through: the clean sentence of the draft that was turned down, then
      // the cut draft's kept sentence; never a word of the rest.
      expect(first.updates).toContain('Mondays It went fine.');
      for (const update of first.updates) for (const bad of ISSUE_11_NEVER_SHOWN) expect(update).not.toContain(bad);

      await watchNextReply(page, 0);
      await page.getByRole('button', { name: 'Regenerate this reply' }).click();
      const again = await replyDone(page, 0);
      expect(again.text).toBe('Mondays Mondays are fine. Coffee helps. So does sleep.');
      expect(again.updates).toEqual(expect.arrayContaining(['Mondays Mondays are fine.', 'Mondays Mondays are fine. Coffee helps.']));
      await expect.poll(() => page.locator('#announcer').textContent()).toBe(`mimicbot says: ${again.text}`);
    } finally {
      await page.close();
      await gateFn.stop();
      await standIn.stop();
    }
  }, 120_000);

  it('shows the real server\'s description of its model: the one-line description from the model folder\'s card', async () => {
    // (A server that gives none gets NEUTRAL_DESCRIPTION: render-page.test.ts and personas.test.ts.)
    const listed = (await (await fetch(`${model.url}/v1/models`)).json()) as { data: { description?: string }[] };
    const served = listed.data[0].description;
    expect(served).toMatch(/^Random weights \(seed 7\), untrained/);
    const page = await browser.newPage();
    try {
      await page.goto(fn.url);
      expect(await page.locator('#description').textContent()).toBe(served);
      expect(served).not.toBe(NEUTRAL_DESCRIPTION);
    } finally {
      await page.close();
    }
  });
});
