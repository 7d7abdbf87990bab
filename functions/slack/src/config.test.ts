import { ConfigError } from '@mimicbot/functions-shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REACTION_RATINGS, DRY_RUN_BOT_TOKEN, parseConfig } from './config.js';

const required = { MODEL_ENDPOINT: 'http://127.0.0.1:9000', SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' };

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    return (error as ConfigError).problems.map((p) => `${p.variable}: ${p.message}`);
  }
  return [];
}

describe('parseConfig', () => {
  it('needs the signing secret and a bot token, and says where to find them', () => {
    expect(() => parseConfig({ ...required, SLACK_SIGNING_SECRET: '' })).toThrow(/^SLACK_SIGNING_SECRET: is required \(app settings > Basic Information/);
    expect(() => parseConfig({ ...required, SLACK_BOT_TOKEN: '' })).toThrow(/^SLACK_BOT_TOKEN: is required \(app settings > OAuth/);
    expect(() => parseConfig({ ...required, SLACK_BOT_TOKEN: 'xoxp-user' })).toThrow(/^SLACK_BOT_TOKEN: must be a bot token/);
  });

  it('has defaults and reads the shared settings too', () => {
    const config = parseConfig({ ...required, REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config).toMatchObject({
      signingSecret: 's',
      botToken: 'xoxb-1',
      shared: { modelEndpoint: 'http://127.0.0.1:9000', store: { kind: 'redis', url: 'redis://127.0.0.1:6379' } },
      leaseMs: 120_000,
      reaction: 'thinking_face',
      includePrompt: true,
      logLevel: 'info',
      dryRun: false,
    });
    expect(config.slackApiUrl).toBeUndefined();
  });

  it('reads the optional ones', () => {
    const config = parseConfig({ ...required, SLACK_API_URL: 'http://127.0.0.1:1/api/', SLACK_BOT_USER_ID: 'U1', SLACK_BOT_ID: 'B1', SLACK_REACTION: '', LOG_LEVEL: 'ERROR' });
    expect(config).toMatchObject({ slackApiUrl: 'http://127.0.0.1:1/api/', botUserId: 'U1', botId: 'B1', reaction: undefined, logLevel: 'error' });
  });

  it('runs a dry run without a bot token, but not against another Web API', () => {
    const { SLACK_BOT_TOKEN: _token, ...withoutToken } = required;
    expect(parseConfig({ ...withoutToken, DRY_RUN: '1' })).toMatchObject({ dryRun: true, botToken: DRY_RUN_BOT_TOKEN });
    expect(() => parseConfig({ ...required, DRY_RUN: '1', SLACK_API_URL: 'http://127.0.0.1:1/api/' })).toThrow(/^SLACK_API_URL: cannot be used with DRY_RUN/);
  });

  it('works inline without SLACK_TOPIC, and through Pub/Sub with it, checking OIDC by default', () => {
    expect(parseConfig(required).queue).toBeUndefined();
    const production = {
      ...required,
      SLACK_TOPIC: 'mimicbot-slack-events',
      GOOGLE_CLOUD_PROJECT: 'p',
      SLACK_WORKER_AUDIENCE: 'https://mimicbot-slack-1.europe-west1.run.app/slack/worker',
      SLACK_WORKER_SERVICE_ACCOUNT: 'mimicbot-slack-push@p.iam.gserviceaccount.com',
    };
    expect(parseConfig(production).queue).toEqual({
      topic: 'mimicbot-slack-events',
      project: 'p',
      emulatorHost: undefined,
      workerAuth: { kind: 'oidc', audience: production.SLACK_WORKER_AUDIENCE, serviceAccount: production.SLACK_WORKER_SERVICE_ACCOUNT },
      maxDeliveryAttempts: 10,
      retryWindowMs: 600_000,
    });
    expect(parseConfig({ ...required, SLACK_TOPIC: 't1x', GOOGLE_CLOUD_PROJECT: 'demo', PUBSUB_EMULATOR_HOST: '127.0.0.1:8682', SLACK_WORKER_AUTH: 'none' }).queue).toMatchObject({
      workerAuth: { kind: 'none' },
      emulatorHost: '127.0.0.1:8682',
    });
  });

  it('turns the push check off only for the emulator, and says what a queue needs', () => {
    expect(problems({ ...required, SLACK_TOPIC: 't1x', GOOGLE_CLOUD_PROJECT: 'p', SLACK_WORKER_AUTH: 'none' })).toEqual([
      expect.stringMatching(/^SLACK_WORKER_AUTH: none is only for the Pub\/Sub emulator/),
    ]);
    expect(problems({ ...required, SLACK_TOPIC: 't1x' }).map((p) => p.split(':')[0])).toEqual(['GOOGLE_CLOUD_PROJECT', 'SLACK_WORKER_AUDIENCE', 'SLACK_WORKER_SERVICE_ACCOUNT']);
    expect(problems({ ...required, SLACK_TOPIC: 't1x', GOOGLE_CLOUD_PROJECT: 'p', SLACK_WORKER_AUTH: 'maybe', SLACK_MAX_DELIVERY_ATTEMPTS: '3' }).map((p) => p.split(':')[0])).toEqual([
      'SLACK_WORKER_AUTH',
      'SLACK_MAX_DELIVERY_ATTEMPTS',
    ]);
  });

  it('lists every problem at once', () => {
    expect(problems({ MODEL_ENDPOINT: 'localhost:8080', SLACK_BOT_TOKEN: 'xoxp-1', LOG_LEVEL: 'loud', SLACK_LEASE_MS: '5' }).map((p) => p.split(':')[0])).toEqual([
      'MODEL_ENDPOINT',
      'LOG_LEVEL',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_LEASE_MS',
    ]);
  });

  it('keeps feedback by default with the thumbs and hearts, takes other reaction lists, and turns off entirely', () => {
    expect(parseConfig(required).feedback).toMatchObject({ reactions: DEFAULT_REACTION_RATINGS, replyTtlMs: 7 * 86_400_000, ratedTtlMs: 180 * 86_400_000 });
    expect(parseConfig({ ...required, SLACK_FEEDBACK_UP: 'tada, star', SLACK_FEEDBACK_DOWN: 'poop' }).feedback?.reactions).toEqual({ up: ['tada', 'star'], down: ['poop'] });
    expect(parseConfig({ ...required, SLACK_FEEDBACK: '0', SLACK_FEEDBACK_UP: 'ignored' }).feedback).toBeUndefined();
  });

  it('refuses a reaction counted both ways and one that is not a reaction name', () => {
    expect(problems({ ...required, SLACK_FEEDBACK_UP: '+1,tada', SLACK_FEEDBACK_DOWN: 'tada' })).toEqual(['SLACK_FEEDBACK_DOWN: names tada, which SLACK_FEEDBACK_UP names too; a reaction counts one way']);
    expect(problems({ ...required, SLACK_FEEDBACK_UP: ':tada:' })[0]).toMatch(/^SLACK_FEEDBACK_UP: ":tada:" is not a Slack reaction name/);
  });
});
