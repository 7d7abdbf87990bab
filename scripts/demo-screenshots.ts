/**
 * `npm run screenshots`: the README's pictures of the demo page, taken from the real stack on the model
 * `npm start` serves — the server on server/default-model (or MODEL_DIR), the demo function as it is deployed
 * (functions-framework, its own process), real Chromium. Writes assets/demo.png (desktop, two replies),
 * assets/demo-phone.png (a phone) and assets/demo-side-by-side.png: two personas answering one prompt, one
 * reply rated 👍 and the other 👎, and the suggestions under the prompt box. The second persona is the
 * model in SECOND_MODEL_DIR, or the same model again while the project has one trained model: one server
 * serves both from a folder of links to the two model folders. Replies are drawn with random seeds, so
 * each run shows new ones.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startFunctionProcess } from '@mimicbot/functions-shared/testing';
import { parseConfig, startMimicbotServer } from '@mimicbot/server';

const ROOT = resolve(import.meta.dirname, '..');
const ASSETS = join(ROOT, 'assets');

async function ask(page: Page, index: number, prompt: string, press: (button: ReturnType<Page['getByRole']>) => Promise<void>): Promise<string> {
  await page.getByLabel('Start the bot off (optional)').fill(prompt);
  await press(page.getByRole('button', { name: 'Generate', exact: true }));
  const bubble = page.locator('#chat .bot').nth(index);
  await bubble.and(page.locator('[data-state]')).waitFor({ timeout: 120_000 });
  return (await bubble.locator('.text').textContent()) ?? '';
}

const first = parseConfig({ ...process.env, PORT: '0' }).modelDir;
const secondDir = process.env.SECOND_MODEL_DIR;
const secondId = secondDir ? 'second' : 'fortunes-again';
// One server, two personas: a folder of links, each link's name the model id.
const personas = mkdtempSync(join(tmpdir(), 'mimicbot-personas-'));
symlinkSync(first, join(personas, 'fortunes'));
symlinkSync(resolve(secondDir ?? first), join(personas, secondId));
const server = await startMimicbotServer(parseConfig({ ...process.env, MODEL_DIR: personas, PORT: '0' }), { host: '127.0.0.1' });
const demo = await startFunctionProcess('demo', { MODEL_ENDPOINT: server.url, STORE: 'memory', RATE_LIMIT_PER_MINUTE: '100' });
const pair = await startFunctionProcess('demo', {
  MODEL_ENDPOINT: server.url,
  MODEL_NAMES: `fortunes,${secondId}`,
  STORE: 'memory',
  RATE_LIMIT_PER_MINUTE: '100',
  SUGGESTED_PROMPTS: 'Never trust|Never say never|The meaning of life is',
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  mkdirSync(ASSETS, { recursive: true });
  const desktop = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await desktop.goto(demo.url);
  console.log(`desktop: ${JSON.stringify(await ask(desktop, 0, 'The meaning of life is', (b) => b.click()))}`);
  console.log(`desktop: ${JSON.stringify(await ask(desktop, 1, 'Never trust', (b) => b.click()))}`);
  await desktop.screenshot({ path: join(ASSETS, 'demo.png') });

  const phone = await browser.newPage({ viewport: { width: 390, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await phone.goto(demo.url);
  console.log(`phone: ${JSON.stringify(await ask(phone, 0, 'Coffee or tea?', (b) => b.tap()))}`);
  await phone.screenshot({ path: join(ASSETS, 'demo-phone.png') });

  const sideBySide = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await sideBySide.goto(pair.url);
  await ask(sideBySide, 0, 'The best thing about Mondays is', (b) => b.click());
  const columns = sideBySide.locator('#chat .pair .bot');
  await columns.nth(1).and(sideBySide.locator('[data-state]')).waitFor({ timeout: 120_000 });
  console.log(`side by side: ${JSON.stringify(await columns.locator('.text').allTextContents())}`);
  await columns.nth(0).getByRole('button', { name: 'Good reply' }).click();
  await columns.nth(1).getByRole('button', { name: 'Bad reply' }).click();
  await sideBySide.getByLabel('Start the bot off (optional)').pressSequentially('Never');
  const suggestions = sideBySide.getByRole('list', { name: 'Suggested prompts' }).getByRole('button');
  await suggestions.first().waitFor();
  await sideBySide.screenshot({ path: join(ASSETS, 'demo-side-by-side.png') });
  console.log(`wrote demo.png, demo-phone.png and demo-side-by-side.png in ${ASSETS}`);
} finally {
  await browser.close();
  await Promise.all([demo.stop(), pair.stop()]);
  await server.shutdown();
  rmSync(personas, { recursive: true, force: true });
}
