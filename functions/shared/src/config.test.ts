import { describe, expect, it } from 'vitest';
import { parseSharedConfig } from './config.js';
import { readOptionalUrl } from './config-reader.js';

describe('parseSharedConfig', () => {
  it('has working defaults for local use', () => {
    const config = parseSharedConfig({});
    expect(config.modelEndpoint).toBe('http://127.0.0.1:8080');
    expect(config.modelRetries).toBe(3);
    expect(config.outputFilter.enabled).toBe(true);
    expect(config.redisUrl).toBeUndefined();
  });
  it('reads every variable', () => {
    const config = parseSharedConfig({
      MODEL_ENDPOINT: 'https://model.example.run.app',
      REQUEST_TOKEN: 'secret',
      MODEL_AUDIENCE: 'https://model.example.run.app',
      MODEL_TIMEOUT_MS: '5000',
      MODEL_RETRIES: '0',
      REDIS_URL: 'redis://127.0.0.1:6379',
      OUTPUT_FILTER: 'off',
      OUTPUT_FILTER_WORDS: 'a, b,,c',
      MAX_TOKENS: '40',
    });
    expect(config).toMatchObject({
      requestToken: 'secret',
      modelTimeoutMs: 5000,
      modelRetries: 0,
      redisUrl: 'redis://127.0.0.1:6379',
      outputFilter: { enabled: false, words: ['a', 'b', 'c'] },
      generation: { maxTokens: 40 },
    });
  });
  it('names the variable and the expected form when a value is bad', () => {
    expect(() => parseSharedConfig({ MODEL_RETRIES: 'many' })).toThrow(/MODEL_RETRIES: must be an integer from 0 to 10/);
    expect(() => parseSharedConfig({ MODEL_ENDPOINT: 'not a url' })).toThrow(/MODEL_ENDPOINT: is not a URL/);
    expect(() => parseSharedConfig({ OUTPUT_FILTER: 'maybe' })).toThrow(/OUTPUT_FILTER/);
  });
});

describe('readOptionalUrl', () => {
  it('is undefined when unset or blank, the value when a URL, and an error naming the variable otherwise', () => {
    expect(readOptionalUrl({}, 'X_API_URL')).toBeUndefined();
    expect(readOptionalUrl({ X_API_URL: '  ' }, 'X_API_URL')).toBeUndefined();
    expect(readOptionalUrl({ X_API_URL: 'http://127.0.0.1:9000' }, 'X_API_URL')).toBe('http://127.0.0.1:9000');
    expect(() => readOptionalUrl({ X_API_URL: 'nope' }, 'X_API_URL')).toThrow(/X_API_URL: is not a URL/);
    expect(() => readOptionalUrl({ X_API_URL: 'ftp://host' }, 'X_API_URL')).toThrow(/X_API_URL: must be an http\(s\) or redis\(s\) URL/);
  });
});
