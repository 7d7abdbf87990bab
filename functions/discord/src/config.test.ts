import { describe, expect, it } from 'vitest';
import { ConfigError } from '@mimicbot/functions-shared';
import { DISCORD_API_V10, parseConfig } from './config.js';

const base = {
  MODEL_ENDPOINT: 'http://127.0.0.1:8080',
  STORE: 'memory',
  DISCORD_PUBLIC_KEY: 'ab'.repeat(32),
  DISCORD_TOPIC: 'discord-commands',
  GOOGLE_CLOUD_PROJECT: 'demo-mimicbot',
  DISCORD_WORKER_AUDIENCE: 'https://x.run.app/discord/worker',
  DISCORD_WORKER_SERVICE_ACCOUNT: 'push@demo-mimicbot.iam.gserviceaccount.com',
};

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.variable);
    throw error;
  }
  return [];
}

describe('parseConfig', () => {
  it("reads a deployed function's environment, with Discord's v10 API by default", () => {
    const config = parseConfig(base);
    expect(config).toMatchObject({ publicKeyHex: 'ab'.repeat(32), discordApiUrl: DISCORD_API_V10, dryRun: false, queue: { topic: 'discord-commands', retryWindowMs: 600_000, workerAuth: { kind: 'oidc' } } });
  });

  it('names every variable that is missing or wrong at once', () => {
    expect(problems({ MODEL_ENDPOINT: 'http://127.0.0.1:8080', STORE: 'memory' }).sort()).toEqual(['DISCORD_PUBLIC_KEY', 'DISCORD_TOPIC']);
    expect(problems({ ...base, DISCORD_PUBLIC_KEY: 'not-hex' })).toEqual(['DISCORD_PUBLIC_KEY']);
    // Past the token's 15 minutes the final delivery could not post the apology.
    expect(problems({ ...base, DISCORD_RETRY_WINDOW_MS: String(15 * 60_000) })).toEqual(['DISCORD_RETRY_WINDOW_MS']);
    expect(problems({ ...base, DRY_RUN: '1', DISCORD_API_URL: 'http://127.0.0.1:1' })).toEqual(['DISCORD_API_URL']);
    expect(problems({ ...base, DISCORD_WORKER_AUTH: 'none' })).toEqual(['DISCORD_WORKER_AUTH']);
  });
});
