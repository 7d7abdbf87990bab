import { ConfigError } from '@mimicbot/functions-shared';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

const endpoint = { MODEL_ENDPOINT: 'http://127.0.0.1:8080' };

describe('parseConfig (demo)', () => {
  it('reads the defaults: no extra origins, 10 per minute, 280 characters, filter on, no proxy trusted', () => {
    const config = parseConfig(endpoint);
    expect(config).toMatchObject({ allowedOrigins: [], rateLimitPerMinute: 10, promptMaxChars: 280, maxAttempts: 3, trustedProxyHops: 0 });
    expect(config.shared.outputFilter.enabled).toBe(true);
  });

  it("trusts one proxy hop on Cloud Run (K_SERVICE set), and TRUSTED_PROXY_HOPS over either default", () => {
    expect(parseConfig({ ...endpoint, K_SERVICE: 'demo' }).trustedProxyHops).toBe(1);
    expect(parseConfig({ ...endpoint, K_SERVICE: 'demo', TRUSTED_PROXY_HOPS: '2' }).trustedProxyHops).toBe(2);
    expect(parseConfig({ ...endpoint, K_SERVICE: 'demo', TRUSTED_PROXY_HOPS: '0' }).trustedProxyHops).toBe(0);
  });

  it('reads ALLOWED_ORIGINS as a list and names bad values', () => {
    expect(parseConfig({ ...endpoint, ALLOWED_ORIGINS: 'https://a.example, https://b.example' }).allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(() => parseConfig({ ...endpoint, RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/^RATE_LIMIT_PER_MINUTE:/);
    expect(() => parseConfig({ ...endpoint, PROMPT_MAX_CHARS: '0' })).toThrow(/^PROMPT_MAX_CHARS:/);
    expect(() => parseConfig({ ...endpoint, TRUSTED_PROXY_HOPS: '-1' })).toThrow(/^TRUSTED_PROXY_HOPS:/);
  });

  it('reads one or two personas from MODEL_NAMES, or MODEL_NAME alone, and names every misuse', () => {
    expect(parseConfig(endpoint).modelNames).toEqual([]);
    expect(parseConfig({ ...endpoint, MODEL_NAME: 'zippy' }).modelNames).toEqual(['zippy']);
    expect(parseConfig({ ...endpoint, MODEL_NAMES: 'zippy, dril' }).modelNames).toEqual(['zippy', 'dril']);
    expect(() => parseConfig({ ...endpoint, MODEL_NAMES: 'a,b,c' })).toThrow(/^MODEL_NAMES: must name 1 or 2 models, got 3/);
    expect(() => parseConfig({ ...endpoint, MODEL_NAMES: 'a,a' })).toThrow(/^MODEL_NAMES: names a model twice/);
    expect(() => parseConfig({ ...endpoint, MODEL_NAMES: 'a,b', MODEL_NAME: 'a' })).toThrow(/^MODEL_NAMES: is set and so is MODEL_NAME/);
  });

  it('reads the maker\'s suggested prompts split on |, and the feedback limits', () => {
    const config = parseConfig({ ...endpoint, SUGGESTED_PROMPTS: 'Mondays are | Coffee, or tea? |', SUGGEST_MIN_VOTERS: '5' });
    expect(config).toMatchObject({ suggestedPrompts: ['Mondays are', 'Coffee, or tea?'], suggestMinVoters: 5, feedbackPerMinute: 30 });
    expect(() => parseConfig({ ...endpoint, FEEDBACK_PER_MINUTE: '0' })).toThrow(/^FEEDBACK_PER_MINUTE:/);
  });

  it('names the shared and the demo problems together', () => {
    const error = (() => {
      try {
        parseConfig({ RATE_LIMIT_PER_MINUTE: 'lots', TEMPERATURE: 'hot' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.problems.map((p) => p.variable)).toEqual(['MODEL_ENDPOINT', 'TEMPERATURE', 'RATE_LIMIT_PER_MINUTE']);
  });

  it('reads how long feedback is kept and the voter key as every function does, and names a short key', () => {
    const day = 24 * 60 * 60 * 1000;
    expect(parseConfig(endpoint).feedback).toEqual({ replyTtlMs: 7 * day, ratedTtlMs: 180 * day, voterKey: undefined });
    expect(parseConfig({ ...endpoint, FEEDBACK_REPLY_DAYS: '2', FEEDBACK_RATED_DAYS: '30' }).feedback).toMatchObject({ replyTtlMs: 2 * day, ratedTtlMs: 30 * day });
    expect(() => parseConfig({ ...endpoint, FEEDBACK_VOTER_KEY: 'short' })).toThrow(/FEEDBACK_VOTER_KEY: must be at least 16 characters/);
  });
});
