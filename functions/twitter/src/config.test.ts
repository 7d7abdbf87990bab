import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

const keys = { X_APP_KEY: 'k', X_APP_SECRET: 's', X_ACCESS_TOKEN: 't', X_ACCESS_SECRET: 'a' };

describe('parseConfig (twitter)', () => {
  it('reads the defaults', () => {
    const config = parseConfig({ ...keys, TRIGGER_SECRET: 'x' });
    expect(config).toMatchObject({ dryRun: false, replyToMentions: false, maxAttempts: 4, maxRateLimitWaitMs: 20_000, tweetPrompt: '' });
    expect(config.x).toEqual({ appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' });
    expect(config.xApiUrl).toBeUndefined();
  });

  it('requires a way to check the trigger, and the service account with an audience', () => {
    expect(() => parseConfig(keys)).toThrow(/^TRIGGER_SECRET: or SCHEDULER_AUDIENCE/);
    expect(() => parseConfig({ ...keys, SCHEDULER_AUDIENCE: 'https://fn' })).toThrow(/^SCHEDULER_SERVICE_ACCOUNT: is required/);
    expect(parseConfig({ ...keys, SCHEDULER_AUDIENCE: 'https://fn', SCHEDULER_SERVICE_ACCOUNT: 'sa@p.iam' }).trigger.audience).toBe('https://fn');
  });

  it('requires all four X keys unless DRY_RUN is on and none is set', () => {
    expect(() => parseConfig({ TRIGGER_SECRET: 'x' })).toThrow(/^X_APP_KEY: is required \(from the X developer portal/);
    expect(parseConfig({ TRIGGER_SECRET: 'x', DRY_RUN: '1' }).x).toBeUndefined();
    expect(() => parseConfig({ TRIGGER_SECRET: 'x', DRY_RUN: '1', X_APP_KEY: 'k' })).toThrow(/^X_APP_SECRET/);
  });

  it('names the variable when a value is wrong', () => {
    expect(() => parseConfig({ ...keys, TRIGGER_SECRET: 'x', DRY_RUN: 'maybe' })).toThrow(/^DRY_RUN:/);
    expect(() => parseConfig({ ...keys, TRIGGER_SECRET: 'x', X_API_URL: 'not a url' })).toThrow(/^X_API_URL:/);
    expect(() => parseConfig({ ...keys, TRIGGER_SECRET: 'x', MAX_ATTEMPTS: '0' })).toThrow(/^MAX_ATTEMPTS:/);
  });
});
