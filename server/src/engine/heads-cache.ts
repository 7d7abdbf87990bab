/**
 * The KV cache of a batch for server graphs in the heads layout: per layer, one buffer holding keys (and one
 * values) as `[B, NH, slots, HS]`, fed to the graph whole. Row b's positions fill its first `lengths[b]`
 * slots; the free slots after them are masked out by the graph's `attention_mask` and always hold zeros, so
 * whatever a free slot is multiplied by, nothing from another row leaks in.
 *
 * The buffers are reused in place as the batch changes, because fresh memory is what costs: a 16-row batch's
 * cache is ~100 MB at GPT-2 124M's shape, and allocating it anew (zero-fill and page faults) took 0.1-0.3 s on
 * these cores each time rows joined, left or ran out of slots. Here a row that leaves is closed over by moving
 * the rows after it down (one move per row: its heads are contiguous), a row that joins is written after the
 * others, and more or fewer slots re-space the heads inside the same buffer. A running batch lives in one
 * Reservation, made once for the largest batch, so it is allocated again only for a batch larger than that.
 * Pure array work: no onnxruntime here.
 */

/** The shape every cache of one model shares. */
export interface HeadsShape {
  layers: number;
  heads: number;
  headSize: number;
  /** n_positions: no row holds more, so no more slots are ever allocated. */
  maxSlots: number;
  /** The most rows a running batch holds (the scheduler's batch size): what a Reservation has room for. */
  maxRows: number;
}

export interface HeadsCache {
  readonly size: number; // B
  /** Slots per row and head: the graph's past length (the free ones masked out). */
  readonly capacity: number;
  /** Positions each row holds, from slot 0. */
  readonly lengths: readonly number[];
  /** Per layer, a buffer of at least `size * heads * capacity * headSize` floats; only that prefix is the cache. */
  readonly keys: Float32Array[];
  readonly values: Float32Array[];
}

/** Slots are handed out in multiples of this: a row runs this many steps between re-spacings, and attention reads at most this many free slots more than it needs. */
export const SLOT_CHUNK = 32;

/** A buffer allocated outside the reservation is this much larger than what it must hold, so the next steps fit. */
const HEADROOM = 1.25;

/**
 * The buffers a running batch lives in: room for `maxRows` rows of `maxSlots` slots, allocated once by the
 * decoder (`reserveBuffers`) and handed to every merge and step, so a running batch never needs another and
 * the next batch reuses them. That is 50 MB a layer for GPT-2 124M at 16 rows, but only as address space: an
 * allocation this large is mapped, not written, and the system commits a page when the cache first writes it,
 * so memory follows the rows and slots in use. Growing the buffers as slots filled left each old set (up to
 * ~100 MB) to the garbage collector, and a 16-stream burst peaked ~150 MB above the cache it needed; a fresh
 * set per batch made every batch fault its pages in anew (a tenth of a second per request on these VMs).
 */
export interface Reservation {
  readonly keys: Float32Array[];
  readonly values: Float32Array[];
}

/**
 * Slots of the reservation's first row whose pages are written when it is made (`reserveBuffers`, at the engine
 * worker's warm-up step, before the server says it is ready): a stream of up to
 * 256 positions (a tweet-sized prompt and MAX_NEW_TOKENS's default 256 reply) then finds its cache's pages
 * committed. A page's first touch is what costs: ~20 us each on these VMs (64 MB took 0.28-0.36 s), and the first
 * 128-token request after a start took ~2,600 page faults more than the next ones (0.72 s against 0.65). Like a
 * JVM's AlwaysPreTouch, but for one row only: 19 MB at GPT-2 124M's shape, which that first stream would commit
 * anyway, so the peak does not move.
 */
export const PREFAULT_SLOTS = 256;

/** A reservation for `shape`, or undefined where the system refuses that much address space (strict overcommit). */
export function reserveBuffers(shape: HeadsShape): Reservation | undefined {
  const floats = shape.maxRows * shape.heads * shape.maxSlots * shape.headSize;
  // Row 0 at any capacity up to PREFAULT_SLOTS lies within its first heads x PREFAULT_SLOTS x headSize floats.
  const prefault = Math.min(floats, shape.heads * Math.min(shape.maxSlots, PREFAULT_SLOTS) * shape.headSize);
  try {
    const allocate = () => Array.from({ length: shape.layers }, () => new Float32Array(floats).fill(0, 0, prefault));
    return { keys: allocate(), values: allocate() };
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * A cache of `rows` empty rows. `spare` lends it the buffers of a cache that is no longer used (a prefill's,
 * once merged): the next prefill writes into them instead of into fresh memory, so a burst of prefills leaves
 * no trail of garbage behind. Their old contents are zeroed as the rows are laid out.
 */
export function emptyHeadsCache(shape: HeadsShape, rows: number, spare?: HeadsCache): HeadsCache {
  const none = () => Array.from({ length: shape.layers }, () => new Float32Array(0));
  return { size: rows, capacity: 0, lengths: new Array<number>(rows).fill(0), keys: spare?.keys ?? none(), values: spare?.values ?? none() };
}

/** The slots a cache gets to hold `positions` per row: whole chunks, never more than n_positions unless a row needs them. */
function slotsFor(positions: number, maxSlots: number): number {
  return Math.max(positions, Math.min(maxSlots, Math.ceil(positions / SLOT_CHUNK) * SLOT_CHUNK));
}

/** Layer l's keys or values as the graph takes them: exactly `[B, NH, slots, HS]` floats, a view of the buffer. */
export function cacheView(shape: HeadsShape, cache: HeadsCache, which: 'keys' | 'values', layer: number): Float32Array {
  return cache[which][layer].subarray(0, cache.size * shape.heads * cache.capacity * shape.headSize);
}

/**
 * A run's new rows `[B, NH, T, HS]` into each row's next free slots (re-spacing first when a row would not
 * fit, into `reservation` when the cache is not there yet). Row b's real new positions are the last
 * `lengths[b] - cache.lengths[b]` of the T: prefill pads on the left. The cache given is not to be used again,
 * nor any other cache in `reservation`'s buffers.
 */
export function appendRows(
  shape: HeadsShape,
  cache: HeadsCache,
  T: number,
  newKeys: readonly Float32Array[],
  newValues: readonly Float32Array[],
  lengths: readonly number[],
  reservation?: Reservation,
): HeadsCache {
  const { heads: NH, headSize: HS } = shape;
  const needed = Math.max(0, ...lengths);
  // A step's batch grows into the reservation; a prefill (from an empty cache) gets buffers of its size.
  const into = cache.capacity > 0 ? reservation : undefined;
  const target = needed > cache.capacity ? resize(shape, cache, cache.size, slotsFor(needed + 1, shape.maxSlots), into) : cache;
  const cap = target.capacity;
  for (let b = 0; b < cache.size; b++) {
    const old = cache.lengths[b];
    const run = (lengths[b] - old) * HS;
    for (let h = 0; h < NH; h++) {
      const from = ((b * NH + h) * T + T) * HS - run;
      const to = ((b * NH + h) * cap + old) * HS;
      for (let l = 0; l < shape.layers; l++) {
        // An element loop: a step writes B x NH x 2L runs of HS floats, and a view per run costs more than the copy.
        const keys = target.keys[l];
        const values = target.values[l];
        const k = newKeys[l];
        const v = newValues[l];
        for (let i = 0; i < run; i++) {
          keys[to + i] = k[from + i];
          values[to + i] = v[from + i];
        }
      }
    }
  }
  return { ...target, lengths: [...lengths] };
}

/**
 * A cache of the given rows, in that order. When the first rows are rows of one cache in their order (the
 * running batch's that stay, as the scheduler lists them) and that cache gives no other row, its buffers are
 * reused: leavers are closed over, then the joining rows are written after. Otherwise the rows go into
 * `reservation` when no row comes from it. The caches given are not to be used again, nor any other cache in
 * `reservation`'s buffers.
 */
export function mergeRows(shape: HeadsShape, rows: readonly { cache: HeadsCache; row: number }[], reservation?: Reservation): HeadsCache {
  const lengths = rows.map(({ cache, row }) => cache.lengths[row]);
  const slots = slotsFor(Math.max(0, ...lengths) + 1, shape.maxSlots);
  const base = rows[0]?.cache;
  let kept = 0;
  while (kept < rows.length && rows[kept].cache === base && rows[kept].row >= kept && (kept === 0 || rows[kept].row > rows[kept - 1].row)) kept++;
  const reusable = base !== undefined && rows.slice(kept).every((r) => r.cache !== base);
  const into = reservation && rows.every((r) => r.cache.keys[0] !== reservation.keys[0]) ? reservation : undefined;
  let target: HeadsCache;
  if (reusable) {
    closeOver(shape, base, rows.slice(0, kept).map((r) => r.row));
    const staying: HeadsCache = { ...base, size: kept, lengths: lengths.slice(0, kept) };
    // Fewer slots only when a long row left and the rest use less than half: attention reads every slot.
    const capacity = slots > base.capacity || slots * 2 <= base.capacity ? slots : base.capacity;
    target = resize(shape, staying, rows.length, capacity, into ?? (base.keys[0] === reservation?.keys[0] ? reservation : undefined));
  } else {
    kept = 0;
    target = resize(shape, emptyHeadsCache(shape, 0), rows.length, slots, into);
  }
  for (let j = kept; j < rows.length; j++) copyRow(shape, rows[j].cache, rows[j].row, target, j);
  return { ...target, size: rows.length, lengths };
}

/** Moves kept rows (ascending source rows) down to rows 0..k-1 of the same buffers: one move per row and layer. */
function closeOver(shape: HeadsShape, cache: HeadsCache, sourceRows: readonly number[]): void {
  const block = shape.heads * cache.capacity * shape.headSize;
  sourceRows.forEach((from, to) => {
    if (from === to) return;
    for (let l = 0; l < shape.layers; l++) {
      cache.keys[l].copyWithin(to * block, from * block, (from + 1) * block);
      cache.values[l].copyWithin(to * block, from * block, (from + 1) * block);
    }
  });
}

/**
 * The cache's `size` rows re-spaced to `capacity` slots, in buffers with room for `rows` rows: `reservation`'s
 * when given, large enough, and not the cache's own yet (a running batch moves into it at once, out of a
 * prefill's buffers, which are then free to lend); else the same buffers when they are large enough (heads
 * moved up from the last when slots grow, down from the first when they shrink, so no head overwrites one
 * not yet moved); else new ones, with headroom.
 */
function resize(shape: HeadsShape, cache: HeadsCache, rows: number, capacity: number, reservation?: Reservation): HeadsCache {
  const { heads: NH, headSize: HS } = shape;
  const need = rows * NH * capacity * HS;
  const own = reservation !== undefined && reservation.keys[0] === cache.keys[0];
  const into = reservation !== undefined && !own && reservation.keys[0].length >= need ? reservation : undefined;
  const fits = !into && cache.keys[0] !== undefined && cache.keys[0].length >= need;
  if (fits && capacity === cache.capacity) return { ...cache, size: rows };
  const blocks = cache.size * NH;
  if (fits) {
    const order = capacity > cache.capacity ? Array.from({ length: blocks }, (_, i) => blocks - 1 - i) : Array.from({ length: blocks }, (_, i) => i);
    for (const i of order) {
      const run = (cache.lengths[Math.floor(i / NH)] ?? 0) * HS;
      for (const buffer of [...cache.keys, ...cache.values]) {
        buffer.copyWithin(i * capacity * HS, i * cache.capacity * HS, i * cache.capacity * HS + run);
        buffer.fill(0, i * capacity * HS + run, (i + 1) * capacity * HS); // free slots hold zeros
      }
    }
    return { ...cache, size: rows, capacity };
  }
  const allocate = () => Array.from({ length: shape.layers }, () => new Float32Array(Math.ceil(need * HEADROOM)));
  const next: HeadsCache = into
    ? { size: rows, capacity, lengths: cache.lengths, keys: into.keys, values: into.values }
    : { size: rows, capacity, lengths: cache.lengths, keys: allocate(), values: allocate() };
  for (let b = 0; b < cache.size; b++) copyRow(shape, cache, b, next, b);
  return next;
}

/** Row `from` of `source` into row `to` of `target` (at the target's slots), its free slots zeroed. */
function copyRow(shape: HeadsShape, source: HeadsCache, from: number, target: HeadsCache, to: number): void {
  const { heads: NH, headSize: HS } = shape;
  const run = source.lengths[from] * HS;
  for (let h = 0; h < NH; h++) {
    const src = (from * NH + h) * source.capacity * HS;
    const dst = (to * NH + h) * target.capacity * HS;
    for (let l = 0; l < shape.layers; l++) {
      for (const [s, d] of [[source.keys[l], target.keys[l]], [source.values[l], target.values[l]]] as const) {
        d.set(s.subarray(src, src + run), dst);
        d.fill(0, dst + run, dst + target.capacity * HS);
      }
    }
  }
}
