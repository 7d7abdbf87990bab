import { describe, expect, it } from 'vitest';
import { ConfigError, envReader } from '../config-reader.js';
import { readFeedbackConfig } from './feedback-config.js';
import { deriveVoterKey, feedbackStoreFromConfig } from './feedback-store-from-config.js';

const DAY = 24 * 3600 * 1000;
const parse = (env: Record<string, string>) => {
  const read = envReader(env);
  return read.done(readFeedbackConfig(read));
};

describe('the feedback settings', () => {
  it('keep unrated replies 7 days and rated ones 180 by default, and take other periods in days', () => {
    expect(parse({})).toEqual({ replyTtlMs: 7 * DAY, ratedTtlMs: 180 * DAY, voterKey: undefined });
    expect(parse({ FEEDBACK_REPLY_DAYS: '2', FEEDBACK_RATED_DAYS: '30', FEEDBACK_VOTER_KEY: 'k'.repeat(16) })).toEqual({ replyTtlMs: 2 * DAY, ratedTtlMs: 30 * DAY, voterKey: 'k'.repeat(16) });
  });

  it('refuse a short voter key and a period out of range, naming each', () => {
    expect(() => parse({ FEEDBACK_VOTER_KEY: 'short', FEEDBACK_REPLY_DAYS: '0' })).toThrow(ConfigError);
    expect(() => parse({ FEEDBACK_VOTER_KEY: 'short' })).toThrow(/FEEDBACK_VOTER_KEY/);
    expect(() => parse({ FEEDBACK_RATED_DAYS: 'forever' })).toThrow(/FEEDBACK_RATED_DAYS/);
  });
});

describe('the feedback store at start-up', () => {
  it('says where feedback goes and for how long, and never the key', async () => {
    const lines: string[] = [];
    const log = (event: string, fields?: Record<string, unknown>) => void lines.push(JSON.stringify({ event, ...fields }));
    const memory = feedbackStoreFromConfig({ kind: 'redis', url: 'redis://x:6379' }, parse({}), { log });
    await memory.close();
    const firestore = feedbackStoreFromConfig({ kind: 'firestore', projectId: 'demo-x', databaseId: '(default)', emulatorHost: '127.0.0.1:1' }, parse({}), { log, fallbackSecret: 'signing-secret-value' });
    await firestore.close();
    expect(lines[0]).toContain('memory: this instance only, lost on restart; unrated replies 7 days, rated ones 180 days after the last rating');
    expect(lines[1]).toContain("voter ids hashed with a key from the function's own secret");
    expect(lines.join('\n')).not.toContain('signing-secret-value');
    expect(lines.join('\n')).not.toContain(deriveVoterKey('signing-secret-value'));
  });

  it('derives a voter key that is not the secret and differs per secret', () => {
    expect(deriveVoterKey('a')).not.toBe('a');
    expect(deriveVoterKey('a')).not.toBe(deriveVoterKey('b'));
    expect(deriveVoterKey('a')).toBe(deriveVoterKey('a'));
  });
});
