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

  it('posts automatically by default, with no disclosure, and reads POST_DISCLOSURE up to 40 characters', () => {
    const config = parseConfig({ ...endpoint, ...keys, TRIGGER_SECRET: 'x' });
    expect(config.curated).toBeUndefined();
    expect(config.disclosure).toBe('');
    expect(parseConfig({ ...endpoint, ...keys, TRIGGER_SECRET: 'x', POST_DISCLOSURE: ' 🤖 ' }).disclosure).toBe('🤖');
    expect(problems({ ...endpoint, ...keys, TRIGGER_SECRET: 'x', POST_DISCLOSURE: 'b'.repeat(41) })).toEqual(['POST_DISCLOSURE: must be at most 40 characters, got 41']);
  });

  it('requires the channel and the Slack app\'s token and signing secret with POST_MODE=curated, and reads its defaults', () => {
    const base = { ...endpoint, ...keys, TRIGGER_SECRET: 'x', POST_MODE: 'curated' };
    expect(problems(base).map((p) => p.split(':')[0])).toEqual(['CURATED_CHANNEL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    const config = parseConfig({ ...base, CURATED_CHANNEL: 'G0CURATE1', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(config.curated).toEqual({ channel: 'G0CURATE1', candidates: 3, draftTtlMs: 86_400_000, botToken: 'xoxb-1', signingSecret: 's', slackApiUrl: undefined });
  });

  it('names what is wrong with a curated setting, and refuses an unknown POST_MODE', () => {
    const curated = { ...endpoint, ...keys, TRIGGER_SECRET: 'x', POST_MODE: 'curated', SLACK_BOT_TOKEN: 'xoxp-user', SLACK_SIGNING_SECRET: 's' };
    expect(problems({ ...curated, CURATED_CHANNEL: '#drafts', CURATED_CANDIDATES: '11' })).toEqual([
      'CURATED_CHANNEL: must be a channel id such as C0123456789 (not its name), got "#drafts"',
      'SLACK_BOT_TOKEN: must be a bot token (starts with xoxb-)',
      'CURATED_CANDIDATES: must be an integer from 1 to 10, got "11"',
    ]);
    expect(problems({ ...endpoint, ...keys, TRIGGER_SECRET: 'x', POST_MODE: 'manual' })).toEqual(['POST_MODE: must be auto or curated, got "manual"']);
    // Set ahead of a switch to curated, the settings are checked but not required.
    expect(problems({ ...endpoint, ...keys, TRIGGER_SECRET: 'x', CURATED_DRAFT_TTL_MS: '5' })).toEqual([expect.stringMatching(/^CURATED_DRAFT_TTL_MS: must be an integer from 60000/)]);
  });
});
