import { describe, expect, it } from 'vitest';
import type { Engine, TokenRequest } from '../engine/types.js';
import { Backlog, withBacklog } from './backlog.js';

function clock(startMs = 0) {
  let t = startMs;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Backlog', () => {
  it('answers 1 second before anything was generated', () => {
    const backlog = new Backlog(30, clock().now);
    backlog.admit(10_000);
    expect(backlog.retryAfterSeconds(60)).toBe(1);
  });

  it('divides the tokens still owed by the recent rate: 1,600 owed at 100 tokens/s is 16 s', () => {
    const time = clock();
    const backlog = new Backlog(30, time.now);
    backlog.admit(2_600);
    for (let second = 0; second < 10; second++) {
      backlog.generated(100);
      time.advance(1000);
    }
    expect(backlog.tokensPerSecond()).toBeCloseTo(100, 5);
    expect(backlog.retryAfterSeconds(60)).toBe(16);
  });

  it('caps the answer and forgets tokens older than its window', () => {
    const time = clock();
    const backlog = new Backlog(10, time.now);
    backlog.admit(1_000_000);
    backlog.generated(1_000);
    time.advance(60_000);
    backlog.generated(10);
    // Only the window counts: 10 tokens since the start of the window's oldest second, 9 s ago.
    expect(backlog.tokensPerSecond()).toBeCloseTo(10 / 9, 5);
    expect(backlog.retryAfterSeconds(60)).toBe(60);
  });
});

describe('withBacklog', () => {
  it('counts a request as owed on entry, pays it down per token, and releases the rest when it ends', async () => {
    const backlog = new Backlog(30, clock().now);
    let owedDuringRun = 0;
    const engine: Engine = {
      async generate(request: TokenRequest) {
        request.onToken?.(1);
        request.onToken?.(2);
        owedDuringRun = backlog.owed;
        return { tokenIds: [1, 2], finishReason: 'stop' };
      },
      stats: () => ({ queueDepth: 0, activeSequences: 0 }),
      close: async () => {},
    };
    const seen: number[] = [];
    const metered = withBacklog(engine, backlog);
    await metered.generate({ promptIds: [0], maxNewTokens: 50, sampling: { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 }, stopTokenIds: [], onToken: (id) => seen.push(id) });
    expect(owedDuringRun).toBe(48);
    expect(backlog.owed).toBe(0);
    expect(seen).toEqual([1, 2]);
  });
});
