import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../model/random.js';
import { packedBatch, paddedBatch, sequentialBatches } from './batches.js';
import { tokenizeCorpus } from './token-corpus.js';

const EOS = 99;

describe('batches', () => {
  it('tokenizes posts one by one and packs them between end-of-text ids', () => {
    const corpus = tokenizeCorpus('ab<|endoftext|>c<|endoftext|>', (t) => [...t].map((c) => c.charCodeAt(0) - 96), EOS);
    expect(corpus.documents.map((d) => Array.from(d))).toEqual([[1, 2], [3]]);
    expect(Array.from(corpus.stream)).toEqual([EOS, 1, 2, EOS, 3, EOS]);
  });

  it('packed: each row is a window whose targets are its inputs shifted by one, every position counted', () => {
    const stream = Int32Array.from({ length: 50 }, (_, i) => i);
    const b = packedBatch(stream, 3, 8, new SeededRandom(1), EOS);
    for (let r = 0; r < 3; r++) {
      const row = Array.from(b.inputIds.subarray(r * 8, r * 8 + 8), Number);
      expect(row).toEqual(row.map((_, t) => row[0] + t));
      expect(Array.from(b.targets.subarray(r * 8, r * 8 + 8), Number)).toEqual(row.map((x) => x + 1));
    }
    expect(Array.from(b.lossMask).every((m) => m === 1)).toBe(true);
  });

  it('packed: windows reach the last token of the stream, which is then a target', () => {
    const stream = Int32Array.from({ length: 10 }, (_, i) => i);
    const b = packedBatch(stream, 64, 8, new SeededRandom(1), EOS);
    const starts = new Set(Array.from({ length: 64 }, (_, r) => Number(b.inputIds[r * 8])));
    expect([...starts].sort()).toEqual([0, 1]);
    expect(() => packedBatch(stream.subarray(0, 8), 1, 8, new SeededRandom(1), EOS)).toThrow('a batch row needs 9');
  });

  it('padded: one post per row after an end-of-text, its final end-of-text counted, the padding not', () => {
    const b = paddedBatch([Int32Array.of(5, 6, 7)], 1, 8, new SeededRandom(1), EOS);
    expect(Array.from(b.inputIds, Number)).toEqual([EOS, 5, 6, 7, EOS, EOS, EOS, EOS]);
    expect(Array.from(b.targets, Number)).toEqual([5, 6, 7, EOS, EOS, EOS, EOS, EOS]);
    expect(Array.from(b.lossMask)).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
  });

  it('padded: a post longer than the row is cut, with no end-of-text target', () => {
    const b = paddedBatch([Int32Array.from({ length: 20 }, (_, i) => i)], 1, 4, new SeededRandom(1), EOS);
    expect(Array.from(b.inputIds, Number)).toEqual([EOS, 0, 1, 2]);
    expect(Array.from(b.targets, Number)).toEqual([0, 1, 2, 3]);
    expect(Array.from(b.lossMask)).toEqual([1, 1, 1, 1]);
  });

  it('validation windows predict every token of the stream exactly once, the last window padded', () => {
    const stream = Int32Array.from({ length: 23 }, (_, i) => i);
    const targets: number[] = [];
    let rows = 0;
    for (const b of sequentialBatches(stream, 2, 5, EOS)) {
      rows += b.B;
      for (let i = 0; i < b.B * b.T; i++) if (b.lossMask[i]) targets.push(Number(b.targets[i]));
    }
    expect(targets).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(rows).toBe(5); // windows at 0, 5, 10, 15, 20
  });
});
