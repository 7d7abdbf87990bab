import { describe, expect, it } from 'vitest';
import { medianSingleStream, singleStream } from '../bench/load.js';

const timing = (tokens: number, totalMs: number, ttftMs: number) => ({ tokens, totalMs, ttftMs });

describe('the bench’s single-stream figure', () => {
  it('is the median request by tokens/s and the median time to first token, not the first request', () => {
    // A slow first request (first-use costs), then two at speed.
    expect(medianSingleStream([timing(128, 1000, 90), timing(128, 640, 25), timing(128, 600, 30)])).toEqual({ tps: 200, ttftMs: 30, tokens: 128 });
    expect(medianSingleStream([timing(64, 500, 40), timing(64, 250, 20)])).toEqual({ tps: (128 + 256) / 2, ttftMs: 30, tokens: 64 });
    expect(() => medianSingleStream([])).toThrow('no single-stream requests');
  });

  it('runs the requests one after another', async () => {
    let running = 0;
    let most = 0;
    const result = await singleStream(3, async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return timing(10, 100, 5);
    });
    expect(most).toBe(1);
    expect(result.tps).toBe(100);
  });
});
