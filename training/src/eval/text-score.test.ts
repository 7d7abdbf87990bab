import { describe, expect, it } from 'vitest';
import { evalWindows } from './eval-windows.js';
import { greedyAgreement } from './greedy-agreement.js';
import { argmaxAgreement } from './score-text.js';
import { bitsPerByte, perplexity, scoreRow } from './text-score.js';

describe('scoreRow', () => {
  it('is -log softmax of the target, and finds the most likely token', () => {
    const logits = Float32Array.from([1, 3, 2]);
    const z = Math.exp(1) + Math.exp(3) + Math.exp(2);
    expect(scoreRow(logits, 0).nats).toBeCloseTo(-Math.log(Math.exp(1) / z), 10);
    expect(scoreRow(logits, 1).nats).toBeCloseTo(-Math.log(Math.exp(3) / z), 10);
    expect(scoreRow(logits, 2).argmax).toBe(1);
  });

  it('stays finite for logits far past exp()\'s range', () => {
    expect(scoreRow(Float32Array.from([1000, 0]), 1).nats).toBeCloseTo(1000, 6);
  });
});

describe('perplexity and bits per byte', () => {
  it('a uniform guess over 256 symbols, one byte a token: perplexity 256, 8 bits per byte', () => {
    const score = { nats: 10 * Math.log(256), tokens: 10 };
    expect(perplexity(score)).toBeCloseTo(256, 9);
    expect(bitsPerByte(score, 10)).toBeCloseTo(8, 9);
  });
});

describe('evalWindows', () => {
  it.each([
    [10, 4],
    [9, 4],
    [2, 8],
    [1, 8],
  ])('predicts every token of a %i-token stream but the first exactly once (windows of %i)', (length, window) => {
    const predicted: number[] = [];
    for (const w of evalWindows(length, window)) {
      expect(w.length).toBeGreaterThan(0);
      expect(w.length).toBeLessThanOrEqual(window);
      for (let t = 0; t < w.length; t++) predicted.push(w.start + t + 1);
    }
    expect(predicted).toEqual(Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1));
  });
});

describe('agreement', () => {
  it('greedy agreement counts tokens up to the first difference only', () => {
    const reference = [
      [1, 2, 3, 4],
      [5, 6],
    ];
    const other = [
      [1, 2, 9, 4], // 2 before the difference; the later 4 does not count
      [5, 6],
    ];
    expect(greedyAgreement(reference, other)).toEqual({ tokenRate: 4 / 6, identical: 1, prompts: 2 });
  });

  it('top-1 agreement is the share of equal positions', () => {
    expect(argmaxAgreement(Int32Array.from([1, 2, 3, 4]), Int32Array.from([1, 0, 3, 0]))).toBe(0.5);
  });
});
