import { describe, expect, it } from 'vitest';
import { futureTimestampProblem } from './slack-request-timestamp.js';

const now = 1_800_000_000_000;
const ts = (offsetS: number) => String(now / 1000 + offsetS);

describe('futureTimestampProblem', () => {
  it('accepts up to five minutes ahead (clock skew), and the past (Bolt judges that)', () => {
    for (const offset of [0, 60, 299, 300, -600]) expect(futureTimestampProblem(ts(offset), now)).toBeUndefined();
  });

  it('refuses more than five minutes ahead, saying by how much', () => {
    expect(futureTimestampProblem(ts(301), now)).toBe('x-slack-request-timestamp is 301 s in the future; at most 300 s is accepted');
    expect(futureTimestampProblem([ts(360)], now)).toMatch(/360 s in the future/);
  });

  it('leaves a missing or malformed header to Bolt', () => {
    expect(futureTimestampProblem(undefined, now)).toBeUndefined();
    expect(futureTimestampProblem('soon', now)).toBeUndefined();
  });
});
