import { describe, expect, it } from 'vitest';
import { discordJobFromPush, discordJobMessage, INTERACTION_TOKEN_LIFE_MS, snowflakeTime, tokenAgeMs, type DiscordJob } from './discord-job.js';

describe('snowflakeTime', () => {
  it("reads the creation time from a snowflake (Discord's documented example: 175928847299117063 is 2016-04-30T11:18:25.796Z)", () => {
    expect(new Date(snowflakeTime('175928847299117063')!).toISOString()).toBe('2016-04-30T11:18:25.796Z');
  });

  it('says nothing about what is not one', () => {
    expect(snowflakeTime('abc')).toBeUndefined();
    expect(snowflakeTime('99999999999999999999')).toBeUndefined();
  });
});

describe('tokenAgeMs', () => {
  const job: DiscordJob = { interactionId: '175928847299117063', applicationId: '1', token: 't', prompt: '', enqueuedAt: 0 };
  it("counts from the interaction's own time, and from enqueueing when the id is not a snowflake", () => {
    const made = Date.parse('2016-04-30T11:18:25.796Z');
    expect(tokenAgeMs(job, made + INTERACTION_TOKEN_LIFE_MS)).toBe(INTERACTION_TOKEN_LIFE_MS);
    expect(tokenAgeMs({ ...job, interactionId: 'local-1', enqueuedAt: 1000 }, 61_000)).toBe(60_000);
  });
});

describe('discordJobFromPush', () => {
  it('reads back what the intake publishes', () => {
    const job: DiscordJob = { interactionId: '1', applicationId: '2', token: 'tok', prompt: 'hi', enqueuedAt: 5 };
    expect(discordJobFromPush(Buffer.from(discordJobMessage(job)).toString('base64'))).toEqual(job);
  });

  it('names the field that is wrong', () => {
    const data = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
    expect(() => discordJobFromPush('')).toThrow(expect.objectContaining({ field: 'message.data' }));
    expect(() => discordJobFromPush(data({ interactionId: '1', applicationId: '2', token: '', prompt: '', enqueuedAt: 1 }))).toThrow(expect.objectContaining({ field: 'message.data.token' }));
    expect(() => discordJobFromPush(data({ interactionId: '1', applicationId: '2', token: 't', prompt: 'x'.repeat(6001), enqueuedAt: 1 }))).toThrow(expect.objectContaining({ field: 'message.data.prompt' }));
  });
});
