import { describe, expect, it } from 'vitest';
import { appendRows, cacheView, emptyHeadsCache, mergeRows, reserveBuffers, SLOT_CHUNK, type HeadsCache, type HeadsShape, type Reservation } from './heads-cache.js';

const shape: HeadsShape = { layers: 2, heads: 2, headSize: 3, maxSlots: 200, maxRows: 4 };
const { layers: L, heads: NH, headSize: HS } = shape;

/** A recognisable nonzero value for (sequence, layer, keys|values, head, position, dim). */
const value = (seq: number, l: number, kv: number, h: number, t: number, d: number) => 1 + seq * 1e4 + l * 1e3 + kv * 500 + h * 100 + t + d / 10;

/** A run's new rows `[B, NH, T, HS]` per layer: row b holds sequence seqs[b]'s positions from[b]..from[b]+T-1 (left padding holds junk). */
function newRows(seqs: number[], from: number[], T: number, padding: number[] = seqs.map(() => 0)): { keys: Float32Array[]; values: Float32Array[] } {
  const make = (kv: number) =>
    Array.from({ length: L }, (_, l) => {
      const out = new Float32Array(seqs.length * NH * T * HS);
      seqs.forEach((seq, b) => {
        for (let h = 0; h < NH; h++)
          for (let t = 0; t < T; t++)
            for (let d = 0; d < HS; d++) out[((b * NH + h) * T + t) * HS + d] = t < padding[b] ? -999 : value(seq, l, kv, h, from[b] + t - padding[b], d);
      });
      return out;
    });
  return { keys: make(0), values: make(1) };
}

/** Checks row b holds sequence seq's first lengths[b] positions and zeros in every free slot. */
function expectRow(cache: HeadsCache, b: number, seq: number): void {
  const cap = cache.capacity;
  for (let l = 0; l < L; l++) {
    for (const [kv, which] of [[0, 'keys'], [1, 'values']] as const) {
      const view = cacheView(shape, cache, which, l);
      expect(view.length).toBe(cache.size * NH * cap * HS);
      for (let h = 0; h < NH; h++) {
        const block = Array.from(view.subarray((b * NH + h) * cap * HS, (b * NH + h + 1) * cap * HS));
        const want = Array.from({ length: cap * HS }, (_, i) => (Math.floor(i / HS) < cache.lengths[b] ? value(seq, l, kv, h, Math.floor(i / HS), i % HS) : 0));
        expect(block.map((x) => Math.fround(x))).toEqual(want.map((x) => Math.fround(x)));
      }
    }
  }
}

/** A cache of `seqs` rows holding `lengths` positions each, built by a left-padded prefill. */
function prefilled(seqs: number[], lengths: number[]): HeadsCache {
  const T = Math.max(...lengths);
  const rows = newRows(seqs, lengths.map(() => 0), T, lengths.map((n) => T - n));
  return appendRows(shape, emptyHeadsCache(shape, seqs.length), T, rows.keys, rows.values, lengths);
}

/** A prefill's rows as the running batch they become: merged once, which moves them into `reservation`. */
function running(seqs: number[], lengths: number[], reservation: Reservation): HeadsCache {
  const cache = prefilled(seqs, lengths);
  return mergeRows(shape, seqs.map((_, row) => ({ cache, row })), reservation);
}

/** mergeRows of `[cache, row]` pairs, into `reservation`. */
function merge(reservation: Reservation | undefined, ...rows: [HeadsCache, number][]): HeadsCache {
  return mergeRows(shape, rows.map(([cache, row]) => ({ cache, row })), reservation);
}

describe('heads cache', () => {
  it('keeps a left-padded prefill\'s real positions from slot 0, with room for the next token and zeros after', () => {
    const cache = prefilled([1, 2], [3, 2]);
    expect(cache.capacity).toBe(SLOT_CHUNK);
    expectRow(cache, 0, 1);
    expectRow(cache, 1, 2);
  });

  it('appends each step at every row\'s own length, and re-spaces the rows in their own buffers when they outgrow their slots', () => {
    let cache = prefilled([1, 2], [30, 5]);
    const buffers = cache.keys;
    expect(cache.capacity).toBe(32);
    for (let step = 0; step < 4; step++) {
      const lengths = cache.lengths.map((n) => n + 1);
      const rows = newRows([1, 2], [...cache.lengths], 1);
      cache = appendRows(shape, cache, 1, rows.keys, rows.values, lengths);
    }
    expect(cache.lengths).toEqual([34, 9]);
    expect(cache.capacity).toBe(64);
    expectRow(cache, 0, 1);
    expectRow(cache, 1, 2);
    // 2 rows x 32 slots had headroom for neither 64 slots nor more, so this one is new; the next re-spacing of
    // fewer rows fits in it (below).
    expect(cache.keys).not.toBe(buffers);
  });

  it('closes over rows that leave and writes joining rows after the rest, in the same buffers, with no trace of the leavers', () => {
    const reservation = reserveBuffers(shape)!;
    const batch = running([1, 2, 3, 4], [10, 12, 20, 7], reservation);
    expect(batch.keys[0]).toBe(reservation.keys[0]);
    const joining = prefilled([5], [4]);
    const merged = merge(reservation, [batch, 1], [batch, 3], [joining, 0]);
    expect(merged.keys[0]).toBe(batch.keys[0]); // reused, not reallocated
    expect(merged.size).toBe(3);
    expect(merged.lengths).toEqual([12, 7, 4]);
    expectRow(merged, 0, 2);
    expectRow(merged, 1, 4);
    expectRow(merged, 2, 5);
  });

  it('gives up slots when the long row leaves, and grows them when a long row joins', () => {
    const reservation = reserveBuffers(shape)!;
    const batch = running([1, 2, 3], [100, 6, 9], reservation);
    expect(batch.capacity).toBe(128);
    const shrunk = merge(reservation, [batch, 1], [batch, 2]);
    expect(shrunk.capacity).toBe(32);
    expect(shrunk.keys[0]).toBe(batch.keys[0]);
    expectRow(shrunk, 0, 2);
    expectRow(shrunk, 1, 3);
    const long = prefilled([7], [50]);
    const grown = merge(reservation, [shrunk, 0], [shrunk, 1], [long, 0]);
    expect(grown.capacity).toBe(64);
    expect(grown.keys[0]).toBe(batch.keys[0]);
    expectRow(grown, 0, 2);
    expectRow(grown, 1, 3);
    expectRow(grown, 2, 7);
  });

  it('copies into new buffers when the rows come in another order, leaving the sources as they were', () => {
    const running = prefilled([1, 2, 3], [5, 8, 3]);
    const before = Array.from(running.keys[1]);
    const merged = mergeRows(shape, [
      { cache: running, row: 2 },
      { cache: running, row: 0 },
    ]);
    expect(merged.keys[0]).not.toBe(running.keys[0]);
    expectRow(merged, 0, 3);
    expectRow(merged, 1, 1);
    expect(Array.from(running.keys[1])).toEqual(before);
  });

  it('keeps a running batch in the reservation: rows joining and slots filling never need new buffers, and the next batch reuses them', () => {
    const reservation = reserveBuffers(shape)!;
    expect(reservation.keys[0].length).toBe(shape.maxRows * NH * shape.maxSlots * HS);
    const first = prefilled([1], [5]);
    let batch = merge(reservation, [first, 0], [prefilled([2], [3]), 0]);
    expect(batch.keys[0]).toBe(reservation.keys[0]); // out of the prefill's buffers, into the reservation
    for (let seq = 3; seq <= shape.maxRows; seq++) {
      const rows = Array.from({ length: batch.size }, (_, row) => ({ cache: batch, row }));
      batch = mergeRows(shape, [...rows, { cache: prefilled([seq], [seq * 10]), row: 0 }], reservation);
    }
    // Grow every row to the last slot, one step at a time.
    while (Math.max(...batch.lengths) < shape.maxSlots - 1) {
      const lengths = batch.lengths.map((n) => n + 1);
      const rows = newRows([1, 2, 3, 4], [...batch.lengths], 1);
      batch = appendRows(shape, batch, 1, rows.keys, rows.values, lengths, reservation);
    }
    expect(batch.capacity).toBe(shape.maxSlots);
    expect([...batch.keys, ...batch.values].every((b, i) => b === [...reservation.keys, ...reservation.values][i])).toBe(true);
    for (let b = 0; b < batch.size; b++) expectRow(batch, b, b + 1);
    // The batch ends; the next one moves in over whatever the last one left.
    const next = mergeRows(shape, [{ cache: prefilled([9], [7]), row: 0 }], reservation);
    expect(next.keys[0]).toBe(reservation.keys[0]);
    expectRow(next, 0, 9);
  });

  it('leaves the reservation alone when a row of the merge still lives in it out of order', () => {
    const reservation = reserveBuffers(shape)!;
    const batch = running([1, 2], [5, 6], reservation);
    const swapped = merge(reservation, [batch, 1], [batch, 0]);
    expect(swapped.keys[0]).not.toBe(reservation.keys[0]);
    expectRow(swapped, 0, 2);
    expectRow(swapped, 1, 1);
  });

  it('lays a prefill out in a spare cache\'s buffers, whatever they held, with zeros in every free slot', () => {
    const old = prefilled([1, 2, 3], [30, 20, 25]); // buffers full of nonzero values
    const T = 9;
    const rows = newRows([4, 5], [0, 0], T, [0, 4]);
    const cache = appendRows(shape, emptyHeadsCache(shape, 2, old), T, rows.keys, rows.values, [9, 5]);
    expect(cache.keys[0]).toBe(old.keys[0]);
    expectRow(cache, 0, 4);
    expectRow(cache, 1, 5);
  });

  it('never hands out more slots than n_positions unless a row needs them', () => {
    const small: HeadsShape = { ...shape, maxSlots: 40 };
    const rows = newRows([1], [0], 39);
    const cache = appendRows(small, emptyHeadsCache(small, 1), 39, rows.keys, rows.values, [39]);
    expect(cache.capacity).toBe(40);
  });
});
