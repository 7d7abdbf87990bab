import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';

async function drain<T>(queue: EventQueue<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of queue) items.push(item);
  return items;
}

describe('EventQueue', () => {
  it('yields items pushed before and after the reader starts, then ends', async () => {
    const queue = new EventQueue<number>();
    queue.push(1);
    const reading = drain(queue);
    queue.push(2);
    await new Promise((resolve) => setImmediate(resolve));
    queue.push(3);
    queue.end();
    queue.push(4);
    expect(await reading).toEqual([1, 2, 3]);
  });

  it('delivers the items before a failure, then throws it', async () => {
    const queue = new EventQueue<string>();
    const seen: string[] = [];
    queue.push('a');
    queue.fail(new Error('boom'));
    await expect(
      (async () => {
        for await (const item of queue) seen.push(item);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual(['a']);
  });
});
