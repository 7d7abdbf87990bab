import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_MODEL_DIR, parseConfig } from './config.js';

describe('parseConfig', () => {
  it('gives every setting its default on an empty environment', () => {
    expect(parseConfig({})).toEqual({
      port: 8080,
      modelDir: DEFAULT_MODEL_DIR,
      defaultModel: undefined,
      requestToken: undefined,
      apiKeys: [],
      maxPromptTokens: 768,
      maxNewTokens: 256,
      maxBodyBytes: 65536,
      maxCount: 16,
      queueSize: 64,
      maxBatch: 16,
      streamIntervalMs: 20,
      requestTimeoutMs: 60_000,
      bodyTimeoutMs: 10_000,
      threads: 0,
      modelDtype: undefined,
      shutdownGraceMs: 8_000,
      cacheTtlMs: 3_600_000,
      cacheMaxEntries: 1024,
      cacheMaxBytes: 16 * 1024 * 1024,
    });
    expect(DEFAULT_MODEL_DIR).toMatch(/server\/default-model\/$/);
  });

  it('reads values, splitting API_KEYS on commas', () => {
    const config = parseConfig({ PORT: '3000', MODEL_DIR: '/m', API_KEYS: 'a, b,,', REQUEST_TOKEN: 's', THREADS: '2' });
    expect(config).toMatchObject({ port: 3000, modelDir: '/m', apiKeys: ['a', 'b'], requestToken: 's', threads: 2 });
  });

  it('reads STREAM_INTERVAL_MS from 0 (every step\'s tokens at once) to 1000', () => {
    expect(parseConfig({ STREAM_INTERVAL_MS: '0' }).streamIntervalMs).toBe(0);
    expect(parseConfig({ STREAM_INTERVAL_MS: '50' }).streamIntervalMs).toBe(50);
    expect(() => parseConfig({ STREAM_INTERVAL_MS: '1001' })).toThrow(new ConfigError('STREAM_INTERVAL_MS', 'must be a whole number from 0 to 1000, got "1001"'));
  });

  it('reads MODEL_DTYPE as fp32, q8 or q4, and leaves it unset (the best the folder has) when empty', () => {
    expect(parseConfig({ MODEL_DTYPE: 'q4' }).modelDtype).toBe('q4');
    expect(parseConfig({ MODEL_DTYPE: ' fp32 ' }).modelDtype).toBe('fp32');
    expect(parseConfig({ MODEL_DTYPE: '' }).modelDtype).toBeUndefined();
    expect(() => parseConfig({ MODEL_DTYPE: 'int8' })).toThrow(new ConfigError('MODEL_DTYPE', 'must be one of fp32, q8, q4, got "int8"'));
  });

  it('resolves a relative MODEL_DIR against the folder npm was run from (INIT_CWD), else the working folder', () => {
    // `MODEL_DIR=models/probe npm start` at the root: npm runs the server in server/ and sets INIT_CWD to the root.
    expect(parseConfig({ MODEL_DIR: 'models/probe', INIT_CWD: '/repo' }, '/repo/server').modelDir).toBe('/repo/models/probe');
    expect(parseConfig({ MODEL_DIR: 'models/probe' }, '/work').modelDir).toBe('/work/models/probe');
    expect(parseConfig({ MODEL_DIR: '/abs/model', INIT_CWD: '/repo' }, '/repo/server').modelDir).toBe('/abs/model');
  });

  it('reads DEFAULT_MODEL and the completion cache bounds, with 0 entries turning the cache off', () => {
    expect(parseConfig({ DEFAULT_MODEL: ' bot-b ', CACHE_TTL_SECONDS: '60', CACHE_MAX_ENTRIES: '0', CACHE_MAX_BYTES: '2048' })).toMatchObject({
      defaultModel: 'bot-b',
      cacheTtlMs: 60_000,
      cacheMaxEntries: 0,
      cacheMaxBytes: 2048,
    });
    expect(parseConfig({ DEFAULT_MODEL: '' }).defaultModel).toBeUndefined();
    expect(() => parseConfig({ CACHE_TTL_SECONDS: '0' })).toThrow(/^CACHE_TTL_SECONDS: /);
    expect(() => parseConfig({ CACHE_MAX_BYTES: '10' })).toThrow(/^CACHE_MAX_BYTES: /);
  });

  it('names the variable when a value is bad', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(new ConfigError('PORT', 'must be a whole number from 0 to 65535, got "eighty"'));
    expect(() => parseConfig({ MAX_NEW_TOKENS: '0' })).toThrow(/^MAX_NEW_TOKENS: /);
    expect(() => parseConfig({ QUEUE_SIZE: '-1' })).toThrow(/^QUEUE_SIZE: /);
    expect(() => parseConfig({ MAX_BATCH: '1.5' })).toThrow(/^MAX_BATCH: /);
    expect(() => parseConfig({ BODY_TIMEOUT_MS: '0' })).toThrow(/^BODY_TIMEOUT_MS: /);
  });

  it('keeps secrets out of error messages', () => {
    expect(() => parseConfig({ API_KEYS: 'sekrit', PORT: 'x' })).toThrow(/^PORT/);
    try {
      parseConfig({ API_KEYS: 'sekrit', PORT: 'x' });
    } catch (error) {
      expect(String(error)).not.toContain('sekrit');
    }
  });
});
