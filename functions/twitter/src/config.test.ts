import { ConfigError } from '@mimicbot/functions-shared';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

const keys = { X_APP_KEY: 'k', X_APP_SECRET: 's', X_ACCESS_TOKEN: 't', X_ACCESS_SECRET: 'a' };
const endpoint = { MODEL_ENDPOINT: 'http://127.0.0.1:8080' };

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    return (error as ConfigError).problems.map((p) => `${p.variable}: ${p.message}`);
  }
  return [];
}

describe('parseConfig (twitter)', () => {
  it('reads the defaults', () => {
    const config = parseConfig({ ...endpoint, ...keys, TRIGGER_SECRET: 'x' });
    expect(config).toMatchObject({ dryRun: false, replyToMentions: false, maxAttempts: 4, maxRateLimitWaitMs: 20_000, tweetPrompt: '' });
    expect(config.x).toEqual({ appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' });
    expect(config.xApiUrl).toBeUndefined();
  });

  it('requires a way to check the trigger, and the service account with an audience', () => {
    expect(() => parseConfig({ ...endpoint, ...keys })).toThrow(/^TRIGGER_SECRET: or SCHEDULER_AUDIENCE/);
    expect(() => parseConfig({ ...endpoint, ...keys, SCHEDULER_AUDIENCE: 'https://fn' })).toThrow(/^SCHEDULER_SERVICE_ACCOUNT: is required/);
    expect(parseConfig({ ...endpoint, ...keys, SCHEDULER_AUDIENCE: 'https://fn', SCHEDULER_SERVICE_ACCOUNT: 'sa@p.iam' }).trigger.audience).toBe('https://fn');
  });

  it('requires all four X keys unless DRY_RUN is on and none is set', () => {
    expect(() => parseConfig({ ...endpoint, TRIGGER_SECRET: 'x' })).toThrow(/^X_APP_KEY: is required \(from the X developer portal/);
    expect(parseConfig({ ...endpoint, TRIGGER_SECRET: 'x', DRY_RUN: '1' }).x).toBeUndefined();
    expect(problems({ ...endpoint, TRIGGER_SECRET: 'x', DRY_RUN: '1', X_APP_KEY: 'k' }).map((p) => p.split(':')[0])).toEqual(['X_APP_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET']);
  });

  it('names the variable when a value is wrong', () => {
    expect(() => parseConfig({ ...endpoint, ...keys, TRIGGER_SECRET: 'x', DRY_RUN: 'maybe' })).toThrow(/^DRY_RUN:/);
    expect(() => parseConfig({ ...endpoint, ...keys, TRIGGER_SECRET: 'x', X_API_URL: 'not a url' })).toThrow(/^X_API_URL:/);
    expect(() => parseConfig({ ...endpoint, ...keys, TRIGGER_SECRET: 'x', MAX_ATTEMPTS: '0' })).toThrow(/^MAX_ATTEMPTS:/);
  });

  it('lists every problem at once: shared, trigger, keys and values', () => {
    expect(problems({ MODEL_ENDPOINT: 'localhost:8080', MAX_ATTEMPTS: 'lots' }).map((p) => p.split(':')[0])).toEqual([
      'MODEL_ENDPOINT',
      'TRIGGER_SECRET',
      'X_APP_KEY',
      'X_APP_SECRET',
      'X_ACCESS_TOKEN',
      'X_ACCESS_SECRET',
      'MAX_ATTEMPTS',
    ]);
  });
});
