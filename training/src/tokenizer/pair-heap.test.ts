import { describe, expect, it } from 'vitest';
import { PairHeap } from './pair-heap.js';

describe('PairHeap', () => {
  it('pops the highest count first and, among equal counts, the smallest key', () => {
    const heap = new PairHeap();
    for (const [count, key] of [[3, 9], [5, 4], [3, 2], [1, 0], [5, 7], [3, 5]]) heap.push(count, key);
    const order: number[][] = [];
    for (let e = heap.pop(); e; e = heap.pop()) order.push([e.count, e.key]);
    expect(order).toEqual([[5, 4], [5, 7], [3, 2], [3, 5], [3, 9], [1, 0]]);
    expect(heap.size).toBe(0);
  });

  it('agrees with a sort on many random entries', () => {
    const heap = new PairHeap();
    const entries: [number, number][] = [];
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const entry: [number, number] = [next() % 50, next() % 1000];
      entries.push(entry);
      heap.push(...entry);
    }
    entries.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const popped = entries.map(() => {
      const e = heap.pop()!;
      return [e.count, e.key];
    });
    expect(popped).toEqual(entries);
  });
});
