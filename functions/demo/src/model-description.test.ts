import { describe, expect, it } from 'vitest';
import type { ServedModel } from '@mimicbot/functions-shared';
import { createModelDescription } from './model-description.js';

function models(answers: (ServedModel[] | Error | 'hang')[]) {
  let calls = 0;
  return {
    calls: () => calls,
    list: (signal: AbortSignal) => {
      calls++;
      const next = answers.shift();
      if (next === 'hang') return new Promise<ServedModel[]>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next ?? []);
    },
  };
}

describe('createModelDescription', () => {
  it("gives the served model's description, asking once while it is fresh", async () => {
    let now = 0;
    const source = models([[{ id: 'a', description: 'It writes fortunes.' }], [{ id: 'a', description: 'Newer.' }]]);
    const describe_ = createModelDescription({ models: source.list, ttlMs: 1000, now: () => now });
    const [first, second] = await Promise.all([describe_(), describe_()]);
    expect([first, second]).toEqual(['It writes fortunes.', 'It writes fortunes.']);
    expect(source.calls()).toBe(1);
    now = 1001;
    expect(await describe_()).toBe('Newer.');
  });

  it('picks MODEL_NAME when the server lists several', async () => {
    const source = models([[{ id: 'a', description: 'A' }, { id: 'b', description: 'B' }]]);
    expect(await createModelDescription({ models: source.list, modelName: 'b' })()).toBe('B');
  });

  it('gives none when the server fails or is slow, logs why, and asks again only after retryMs', async () => {
    let now = 0;
    const logged: string[] = [];
    const source = models([new Error('connect ECONNREFUSED'), 'hang', [{ id: 'a', description: 'Back.' }]]);
    const describe_ = createModelDescription({ models: source.list, retryMs: 100, timeoutMs: 20, now: () => now, log: (event) => void logged.push(event) });
    expect(await describe_()).toBeUndefined();
    expect(await describe_()).toBeUndefined();
    expect(source.calls()).toBe(1);
    now = 101;
    expect(await describe_()).toBeUndefined();
    now = 202;
    expect(await describe_()).toBe('Back.');
    expect(logged).toEqual(['model_description_failed', 'model_description_failed']);
  });
});
