import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

describe('parseConfig (demo)', () => {
  it('reads the defaults: no extra origins, 10 per minute, 280 characters, filter on', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ allowedOrigins: [], rateLimitPerMinute: 10, promptMaxChars: 280, maxAttempts: 3 });
    expect(config.shared.outputFilter.enabled).toBe(true);
  });

  it('reads ALLOWED_ORIGINS as a list and names bad values', () => {
    expect(parseConfig({ ALLOWED_ORIGINS: 'https://a.example, https://b.example' }).allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(() => parseConfig({ RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/^RATE_LIMIT_PER_MINUTE:/);
    expect(() => parseConfig({ PROMPT_MAX_CHARS: '0' })).toThrow(/^PROMPT_MAX_CHARS:/);
  });
});
