import { describe, expect, it } from 'vitest';
import type { ServedModel } from '@mimicbot/functions-shared';
import { createServedModels } from './served-models.js';

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

describe('createServedModels', () => {
  it("gives the server's models, asking once while they are fresh", async () => {
    let now = 0;
    const source = models([[{ id: 'a', description: 'It writes fortunes.' }], [{ id: 'a', description: 'Newer.' }]]);
    const served = createServedModels({ models: source.list, ttlMs: 1000, now: () => now });
    const [first, second] = await Promise.all([served(), served()]);
    expect([first, second]).toEqual([[{ id: 'a', description: 'It writes fortunes.' }], [{ id: 'a', description: 'It writes fortunes.' }]]);
    expect(source.calls()).toBe(1);
    now = 1001;
    expect(await served()).toEqual([{ id: 'a', description: 'Newer.' }]);
  });

  it('gives none when the server fails or is slow, logs why, and asks again only after retryMs', async () => {
    let now = 0;
    const logged: string[] = [];
    const source = models([new Error('connect ECONNREFUSED'), 'hang', [{ id: 'a', description: 'Back.' }]]);
    const served = createServedModels({ models: source.list, retryMs: 100, timeoutMs: 20, now: () => now, log: (event) => void logged.push(event) });
    expect(await served()).toBeUndefined();
    expect(await served()).toBeUndefined();
    expect(source.calls()).toBe(1);
    now = 101;
    expect(await served()).toBeUndefined();
    now = 202;
    expect(await served()).toEqual([{ id: 'a', description: 'Back.' }]);
    expect(logged).toEqual(['served_models_failed', 'served_models_failed']);
  });
});
