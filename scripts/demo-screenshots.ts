/**
 * `npm run screenshots`: the README's pictures of the demo page, taken from the real stack on the model
 * `npm start` serves — the server on server/default-model (or MODEL_DIR), the demo function as it is deployed
 * (functions-framework, its own process), real Chromium. Writes assets/demo.png (desktop, two replies) and
 * assets/demo-phone.png (a phone). Replies are drawn without a seed, so each run shows new ones.
 */
import { mkdirSync } from 'node:fs';
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

const server = await startMimicbotServer(parseConfig({ ...process.env, PORT: '0' }), { host: '127.0.0.1' });
const demo = await startFunctionProcess('demo', { MODEL_ENDPOINT: server.url, STORE: 'memory', RATE_LIMIT_PER_MINUTE: '100' });
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
  console.log(`wrote ${join(ASSETS, 'demo.png')} and ${join(ASSETS, 'demo-phone.png')}`);
} finally {
  await browser.close();
  await demo.stop();
  await server.shutdown();
}
