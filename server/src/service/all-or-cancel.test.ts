import { describe, expect, it } from 'vitest';
import { allOrCancel } from './all-or-cancel.js';

/** Resolves with `value` after `ticks` event-loop turns, or rejects with the signal's reason once aborted. */
function task(signal: AbortSignal, ticks: number, value: string, log: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let left = ticks;
    const tick = () => {
      if (signal.aborted) {
        log.push(`${value} aborted`);
        return reject(signal.reason);
      }
      if (left-- === 0) return resolve(value);
      setImmediate(tick);
    };
    tick();
  });
}

describe('allOrCancel', () => {
  it('returns every result, in order, when all succeed', async () => {
    expect(await allOrCancel(undefined, (signal) => [task(signal, 3, 'a', []), task(signal, 1, 'b', [])])).toEqual(['a', 'b']);
  });

  it('aborts the siblings on the first failure, waits for them, and rethrows that failure', async () => {
    const log: string[] = [];
    const boom = new Error('queue full');
    const outcome = allOrCancel(undefined, (signal) => [task(signal, 50, 'slow', log), Promise.reject(boom)]);
    await expect(outcome).rejects.toBe(boom);
    expect(log).toEqual(['slow aborted']);
  });

  it('passes the caller’s abort on to every task', async () => {
    const caller = new AbortController();
    const log: string[] = [];
    const outcome = allOrCancel(caller.signal, (signal) => [task(signal, 50, 'x', log), task(signal, 50, 'y', log)]);
    caller.abort(new Error('client gone'));
    await expect(outcome).rejects.toThrow('client gone');
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.sort()).toEqual(['x aborted', 'y aborted']);
  });
});
