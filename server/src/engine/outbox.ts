/**
 * What the engine worker says to the main thread, gathered into as few messages as keep streams prompt.
 *
 * Each message wakes the main thread, which then decodes and writes tokens while onnxruntime's two threads want
 * both of a 2-vCPU instance's cores: at one stream and ~4 ms a step, 128 tokens took 0.73-0.86 s with a message
 * per token against 0.55-0.62 s with one per 4 tokens (a first, instrumented try), and this outbox at 20 ms makes
 * one stream 1.10x faster than a message per step (`npm run bench:requests -w server`, docs/quantization.md).
 * So tokens after a stream's first are held up to `intervalMs` since the last message and go out together,
 * as SGLang's `--stream-interval` does by token count; a time bound keeps the held tokens' delay the same
 * whatever a step costs, and at 16 rows a step already takes longer than the interval, so every step's tokens
 * still go out at once. Anything but a token (a start, a request's end, a failure, a readiness) goes out at the
 * end of the tick with whatever is held before it, in order; so does each stream's first token, so time to
 * first token is unchanged. Pure: the clock and the timer are given.
 */
import type { FromWorker } from './worker-protocol.js';

export interface OutboxOptions {
  /** Most ms a token after a stream's first waits for company; 0 sends every tick's messages at once. */
  intervalMs: number;
  send: (message: FromWorker) => void;
  now?: () => number;
  /** Runs `flush` at the end of the current tick (default queueMicrotask). */
  atTickEnd?: (flush: () => void) => void;
  /** Runs `flush` after `ms` unless cancelled (default setTimeout). */
  later?: (flush: () => void, ms: number) => () => void;
}

export interface Outbox {
  post(message: FromWorker): void;
}

export function createOutbox(options: OutboxOptions): Outbox {
  const { intervalMs, send } = options;
  const now = options.now ?? (() => performance.now());
  const atTickEnd = options.atTickEnd ?? queueMicrotask;
  const later =
    options.later ??
    ((flush: () => void, ms: number) => {
      const timer = setTimeout(flush, ms);
      return () => clearTimeout(timer);
    });
  let held: FromWorker[] = [];
  let lastSent = -Infinity;
  let flushAtTickEnd = false;
  let cancelTimer: (() => void) | undefined;
  /** Streams whose first token has gone out (or is going out at this tick's end). */
  const streaming = new Set<number>();

  const flush = () => {
    flushAtTickEnd = false;
    cancelTimer?.();
    cancelTimer = undefined;
    if (held.length === 0) return;
    const messages = held;
    held = [];
    lastSent = now();
    send(messages.length === 1 ? messages[0] : { type: 'many', messages });
  };
  const sendAtTickEnd = () => {
    if (flushAtTickEnd) return;
    flushAtTickEnd = true;
    atTickEnd(flush);
  };

  return {
    post(message) {
      held.push(message);
      if (message.type === 'done' || message.type === 'failed') streaming.delete(message.id);
      if (message.type !== 'token') return sendAtTickEnd();
      const first = !streaming.has(message.id);
      streaming.add(message.id);
      const waited = now() - lastSent;
      if (first || waited >= intervalMs) return sendAtTickEnd();
      // Held: the next step's tokens usually carry it out; the timer covers an engine that goes quiet.
      if (!flushAtTickEnd && !cancelTimer) cancelTimer = later(flush, intervalMs - waited);
    },
  };
}
