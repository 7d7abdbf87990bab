import { describe, expect, it } from 'vitest';
import { createOutbox } from './outbox.js';
import type { FromWorker } from './worker-protocol.js';

/**
 * An outbox on a hand-driven clock. `advance(ms)` moves time (a step's run, during which the worker's thread
 * is busy and no timer fires); `tick()` ends the tick, then fires the timers that are due, as the event loop
 * would; `idle(ms)` moves time with nothing else to do, firing timers.
 */
function harness(intervalMs: number) {
  let time = 0;
  const sent: FromWorker[] = [];
  let tickEnd: (() => void)[] = [];
  let timers: { at: number; run: () => void; live: boolean }[] = [];
  const outbox = createOutbox({
    intervalMs,
    send: (m) => sent.push(m),
    now: () => time,
    atTickEnd: (flush) => tickEnd.push(flush),
    later: (flush, ms) => {
      const timer = { at: time + ms, run: flush, live: true };
      timers.push(timer);
      return () => (timer.live = false);
    },
  });
  const fireDue = () => {
    const due = timers.filter((t) => t.live && t.at <= time);
    timers = timers.filter((t) => !due.includes(t));
    for (const t of due) t.run();
  };
  return {
    outbox,
    sent,
    tick() {
      const ending = tickEnd;
      tickEnd = [];
      for (const f of ending) f();
      fireDue();
    },
    advance(ms: number) {
      time += ms;
    },
    idle(ms: number) {
      time += ms;
      fireDue();
    },
    pendingTimers: () => timers.filter((t) => t.live).length,
  };
}

const token = (id: number, t: number): FromWorker => ({ type: 'token', id, token: t });
/** Every message sent, 'many' unpacked, in order. */
const flat = (sent: FromWorker[]): FromWorker[] => sent.flatMap((m) => (m.type === 'many' ? m.messages : [m]));

describe('createOutbox', () => {
  it('sends a stream’s first token at the end of its tick, then holds later tokens until the interval has passed', () => {
    const h = harness(20);
    h.outbox.post({ type: 'started', id: 1 });
    h.tick();
    h.outbox.post(token(1, 10));
    h.tick();
    expect(flat(h.sent)).toEqual([{ type: 'started', id: 1 }, token(1, 10)]);
    // Steps of 4 ms: tokens 11..14 are held (4, 8, 12, 16 ms since the last message), 15 at 20 ms carries them out.
    for (let t = 11; t <= 15; t++) {
      h.advance(4);
      h.outbox.post(token(1, t));
      h.tick();
    }
    expect(h.sent).toHaveLength(3);
    expect(h.sent[2]).toEqual({ type: 'many', messages: [11, 12, 13, 14, 15].map((t) => token(1, t)) });
  });

  it('sends held tokens when the interval runs out with no step after them', () => {
    const h = harness(20);
    h.outbox.post(token(1, 10));
    h.tick();
    h.advance(5);
    h.outbox.post(token(1, 11));
    h.tick();
    expect(flat(h.sent)).toEqual([token(1, 10)]);
    expect(h.pendingTimers()).toBe(1);
    h.idle(14);
    expect(flat(h.sent)).toEqual([token(1, 10)]);
    h.idle(1);
    expect(flat(h.sent)).toEqual([token(1, 10), token(1, 11)]);
  });

  it('sends what is held, in order, with anything that is not a token, at the end of that tick', () => {
    const h = harness(20);
    h.outbox.post(token(1, 10));
    h.tick();
    h.advance(4);
    h.outbox.post(token(1, 11));
    h.outbox.post({ type: 'done', id: 1, result: { tokenIds: [10, 11], finishReason: 'length' } });
    h.tick();
    expect(flat(h.sent)).toEqual([token(1, 10), token(1, 11), { type: 'done', id: 1, result: { tokenIds: [10, 11], finishReason: 'length' } }]);
    expect(h.pendingTimers()).toBe(0);
  });

  it('never holds a new stream’s first token, even while another stream’s are held', () => {
    const h = harness(20);
    h.outbox.post(token(1, 10));
    h.tick();
    h.advance(4);
    h.outbox.post(token(1, 11)); // held
    h.outbox.post(token(2, 50)); // stream 2's first: goes out now, taking stream 1's held token along
    h.tick();
    expect(flat(h.sent)).toEqual([token(1, 10), token(1, 11), token(2, 50)]);
  });

  it('forgets a stream when it ends, so an id used again gets its first token out at once', () => {
    const h = harness(20);
    h.outbox.post(token(7, 1));
    h.outbox.post({ type: 'failed', id: 7, error: { name: 'Error', message: 'x' } });
    h.tick();
    h.advance(1);
    h.outbox.post(token(7, 2));
    h.tick();
    expect(flat(h.sent).at(-1)).toEqual(token(7, 2));
  });

  it('with interval 0 sends each tick’s messages as one, as before', () => {
    const h = harness(0);
    h.outbox.post(token(1, 10));
    h.outbox.post(token(2, 20));
    h.tick();
    h.outbox.post(token(1, 11));
    h.outbox.post(token(2, 21));
    h.tick();
    expect(h.sent).toEqual([
      { type: 'many', messages: [token(1, 10), token(2, 20)] },
      { type: 'many', messages: [token(1, 11), token(2, 21)] },
    ]);
  });

  it('at 16 rows with steps longer than the interval, each step’s tokens go out together at the end of the step', () => {
    const h = harness(20);
    for (let id = 0; id < 16; id++) h.outbox.post(token(id, 0));
    h.tick();
    h.advance(40);
    for (let id = 0; id < 16; id++) h.outbox.post(token(id, 1));
    h.tick();
    expect(h.sent).toHaveLength(2);
    expect(h.sent[1]).toEqual({ type: 'many', messages: Array.from({ length: 16 }, (_, id) => token(id, 1)) });
  });
});
