/**
 * What the demo's browser tests share: Debian's Chromium (CHROMIUM to use another), and where screenshots
 * go: DEMO_SCREENSHOTS (a folder, relative to the repository, `assets` to refresh the README's pictures),
 * else a temporary folder of this run's own.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

export const SCREENSHOTS = process.env.DEMO_SCREENSHOTS ? resolve(ROOT, process.env.DEMO_SCREENSHOTS) : join(tmpdir(), `mimicbot-demo-screenshots-${process.pid}`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
}
