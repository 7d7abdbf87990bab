import { describe, expect, it } from 'vitest';
import { leftPad } from './left-pad.js';

describe('leftPad', () => {
  it('pads shorter prompts on the left with masked tokens at position 1, as transformers.js does', () => {
    expect(leftPad([[5, 6, 7], [8]], 0)).toEqual({
      batchSize: 2,
      length: 3,
      inputIds: [5, 6, 7, 0, 0, 8],
      attentionMask: [1, 1, 1, 0, 0, 1],
      positionIds: [0, 1, 2, 1, 1, 0],
    });
  });

  it('rejects an empty prompt', () => {
    expect(() => leftPad([[1], []], 0)).toThrow(/empty/);
  });
});
