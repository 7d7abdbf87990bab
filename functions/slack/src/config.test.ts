import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

const required = { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' };

describe('parseConfig', () => {
  it('needs the signing secret and a bot token, and says where to find them', () => {
    expect(() => parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET: is required \(app settings > Basic Information/);
    expect(() => parseConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN: is required/);
    expect(() => parseConfig({ ...required, SLACK_BOT_TOKEN: 'xoxp-user' })).toThrow(/SLACK_BOT_TOKEN: must be a bot token/);
  });

  it('has defaults and reads the shared settings too', () => {
    const config = parseConfig({ ...required, MODEL_ENDPOINT: 'http://127.0.0.1:9000', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config).toMatchObject({
      signingSecret: 's',
      botToken: 'xoxb-1',
      modelEndpoint: 'http://127.0.0.1:9000',
      redisUrl: 'redis://127.0.0.1:6379',
      leaseMs: 120_000,
      reaction: 'thinking_face',
      includePrompt: true,
      logLevel: 'info',
    });
    expect(config.slackApiUrl).toBeUndefined();
  });

  it('reads the optional ones', () => {
    const config = parseConfig({ ...required, SLACK_API_URL: 'http://127.0.0.1:1/api/', SLACK_BOT_USER_ID: 'U1', SLACK_BOT_ID: 'B1', SLACK_REACTION: '', LOG_LEVEL: 'ERROR' });
    expect(config).toMatchObject({ slackApiUrl: 'http://127.0.0.1:1/api/', botUserId: 'U1', botId: 'B1', reaction: undefined, logLevel: 'error' });
  });
});
