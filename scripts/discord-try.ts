/**
 * Sends the local Discord function (started by `npm run dev`) a `/mimic` interaction, signed as Discord
 * would sign it with the dev key, and prints the function's answer; with DRY_RUN the answer it edits in
 * appears in dev's output as a `dry_run_edit` line a few seconds later.
 *
 *   npm run discord:try -- "tell me a secret"        (DISCORD_URL: default http://127.0.0.1:8084/)
 */
import { sign } from 'node:crypto';
import { devPrivateKey } from './discord-dev-key.js';

const prompt = process.argv.slice(2).join(' ');
if (prompt === '') {
  console.error('usage: npm run discord:try -- "<prompt>"');
  process.exit(2);
}
const url = process.env.DISCORD_URL ?? 'http://127.0.0.1:8084/';
// A snowflake for now, so the worker times the token from this moment.
const id = String((BigInt(Date.now()) - 1_420_070_400_000n) << 22n);
const body = JSON.stringify({
  id,
  application_id: '100000000000000000',
  type: 2,
  token: `dev-interaction-token-${id}`,
  version: 1,
  data: { id: '100000000000000001', name: 'mimic', type: 1, options: [{ name: 'prompt', type: 3, value: prompt }] },
});
const timestamp = String(Math.floor(Date.now() / 1000));
const signature = sign(null, Buffer.from(timestamp + body), devPrivateKey).toString('hex');
try {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp }, body });
  console.log(`HTTP ${response.status} ${await response.text()}`);
} catch (error) {
  console.error(`discord:try: could not reach ${url} (is npm run dev running?): ${(error as Error).message}`);
  process.exit(1);
}
