/**
 * The only file in the server that imports onnxruntime-node. It runs a GPT-2 decoder with a KV cache on
 * a batch of sequences and owns the cache. It runs inside the engine worker (session.run blocks the thread
 * it runs on for the whole run, so on the main thread it would stall every other request).
 *
 * A batch's cache is left-padded: row b's `lengths[b]` real positions are the last ones of the P cached
 * positions, the rest are masked out through `attention_mask`, and `position_ids` count real tokens only,
 * so each row computes what it would compute alone. The batch is rebuilt (`merge`) only when rows join
 * or leave; between rebuilds each step appends one position per row:
 * - standard graphs (optimum contract) return the whole `present` `[B, NH, P+1, HS]`, which becomes the next
 *   step's past as is (inputs are zero-copy); only the copy of the output out of onnxruntime remains.
 * - our server graph returns only the new rows `[B, NH, 1, HS]`, which are appended in place to a worker-owned
 *   buffer `[B, NH, slots, HS]` per layer (`heads-cache.ts`), fed whole (zero-copy); the graph attends over it
 *   where it lies. Rows are not padded: row b's positions fill its first `lengths[b]` slots and the free slots
 *   after them are masked out, so a step writes each row's new key at its own length, and rows join and leave
 *   inside the same buffers. (`npm run bench:attention -w training` measured this against the alternatives:
 *   1.16-2.38x the time-major layout's decode step, more the larger the cache.)
 * - server graphs exported before that take the past time-major, `[P, B, C]`: a slab `[Tcap, B, C]` per layer
 *   whose first P rows are fed as a zero-copy view and to which the new rows `[1, B, C]` are appended.
 */
import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import { ModelLoadError } from './errors.js';
import { checkAgainstRuns, checkCacheShape, checkLayerCount, type ModelFiles, type ProbeResult } from './graph-claims.js';
import type { GraphDtype, GraphFile } from '@mimicbot/model-format';
import { appendRows, cacheView, emptyHeadsCache, mergeRows, reserveBuffers, type HeadsCache, type HeadsShape, type Reservation } from './heads-cache.js';
import { describeDecoder, findModelGraph, readModelConfig, type DecoderLayout, type ModelConfig } from './model-files.js';
import { DEFAULT_MAX_BATCH } from './types.js';

export interface DecoderOptions {
  /** onnxruntime intra-op threads; default: onnxruntime's own (the physical cores). */
  intraOpNumThreads?: number;
  /** Serve this precision's graph (MODEL_DTYPE); default: the best the folder offers. */
  dtype?: GraphDtype;
  /** The scheduler's batch size: the rows a running batch's cache is reserved for (heads layout; default DEFAULT_MAX_BATCH). */
  maxBatchRows?: number;
}

/** A batch's KV cache. Opaque outside this file except for its shape. */
export interface KvBatch {
  readonly size: number; // B
  readonly pastLength: number; // P, the padded length
  readonly lengths: readonly number[]; // real positions per row
}

export interface StepResult {
  /**
   * One `[V]` row of next-token logits per batch row, free to rewrite: views of a buffer (rows never overlap)
   * that the decoder's next run writes again (server graphs), so read them before calling it.
   */
  logits: Float32Array[];
  /**
   * Only from a prefill asked to `scorePrompt`: per batch row, one `[V]` row for each of its prompt positions
   * but the last (row t predicts prompt token t + 1; the last position's row is `logits`).
   */
  promptLogits?: Float32Array[][];
  /** The batch grown by one position per row. The input batch must not be used again. */
  batch: KvBatch;
}

export interface BatchDecoder {
  readonly config: ModelConfig;
  readonly layout: DecoderLayout;
  readonly graphFile: string;
  /** The folder's graph being served: its file relative to the folder, its contract and precision. */
  readonly graph: GraphFile;
  /** 1 for graphs without `position_ids`: they number positions themselves, which padding would break. */
  readonly maxBatchSize: number;
  /** Graphs that can return every prompt position's logits (prefill's `scorePrompt`). */
  readonly canScorePrompt: boolean;
  /** Runs prompts together, left-padded to the longest; returns each one's last-position logits and their cache. */
  prefill(prompts: readonly (readonly number[])[], options?: PrefillOptions): Promise<StepResult>;
  /**
   * A new batch made of the given rows of existing batches, in that order (padding trimmed). One running batch
   * at a time: the batches given are used up, and so is any batch merged (or stepped from a merge) before
   * that is not among them, because the decoder keeps one set of buffers for its running batch.
   */
  merge(rows: readonly { batch: KvBatch; row: number }[]): KvBatch;
  /** Feeds one token per row. */
  step(batch: KvBatch, tokenIds: readonly number[]): Promise<StepResult>;
  release(): Promise<void>;
}

interface StandardKv extends KvBatch {
  kind: 'standard';
  /** Per layer `[B, NH, P, HS]`, as returned by the last run. */
  keys: Float32Array[];
  values: Float32Array[];
}

interface SlabKv extends KvBatch {
  kind: 'time-major';
  capacity: number; // Tcap
  /** Per layer `[Tcap, B, C]`; rows past P are scratch. */
  keys: Float32Array[];
  values: Float32Array[];
}

interface HeadsKv extends KvBatch {
  kind: 'heads';
  /** Per layer `[B, NH, slots, HS]`; pastLength is the longest row, the graph sees `cache.capacity` slots. */
  cache: HeadsCache;
}

type AnyKv = StandardKv | SlabKv | HeadsKv;

export interface PrefillOptions {
  /**
   * Also return the logits of every prompt position (`promptLogits`): `[B * T, V]` floats, so the scheduler
   * asks for it for one prompt at a time. Only where `canScorePrompt`.
   */
  scorePrompt?: boolean;
}

export async function loadDecoder(modelDir: string, options: DecoderOptions = {}): Promise<BatchDecoder> {
  const picked = findModelGraph(modelDir, options.dtype);
  const graphFile = picked.path;
  const config = await readModelConfig(modelDir);
  const files: ModelFiles = { configFile: join(modelDir, 'config.json'), graphFile };
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(graphFile, {
      graphOptimizationLevel: 'all',
      ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    });
  } catch (cause) {
    const reason = String((cause as Error).message ?? cause).split('\n')[0];
    throw new ModelLoadError('MODEL_GRAPH_INVALID', `${graphFile}: onnxruntime cannot load it (${reason}). The file is corrupt or not an ONNX model; export it again.`, { cause });
  }
  try {
    checkLayerCount(files, config, session.inputNames);
    const pastKeyDims = session.inputMetadata.find((meta) => meta.name === 'past_key.0');
    const layout = describeDecoder(graphFile, session.inputNames, session.outputNames, config.nLayer, pastKeyDims?.isTensor ? pastKeyDims.shape : undefined);
    checkGraphInputs(files, session, layout, config);
    // The contract the graph speaks is read from its names (describeDecoder); the table's is only where it was looked for.
    const graph: GraphFile = { file: picked.file, contract: layout.contract, dtype: picked.dtype };
    const decoder = new OnnxBatchDecoder(session, config, layout, graphFile, graph, options.maxBatchRows ?? DEFAULT_MAX_BATCH);
    await checkAgainstRuns(files, config, layout, (position) => decoder.probe(position));
    return decoder;
  } catch (error) {
    await session.release();
    throw error;
  }
}

/** The int64 inputs and the cache's type and head shape must be what we feed; say so at start-up rather than at the first request. */
function checkGraphInputs(files: ModelFiles, session: ort.InferenceSession, layout: DecoderLayout, config: ModelConfig): void {
  const fail = (problem: string) => new ModelLoadError('MODEL_GRAPH_UNSUPPORTED', `${files.graphFile}: ${problem}. Re-export the model with the training package.`);
  for (const meta of session.inputMetadata) {
    if (!meta.isTensor) throw fail(`input "${meta.name}" is not a tensor`);
    if (['input_ids', 'attention_mask', 'position_ids'].includes(meta.name) && meta.type !== 'int64') throw fail(`input "${meta.name}" is ${meta.type}, expected int64`);
    if (layout.pastKeys.includes(meta.name) || layout.pastValues.includes(meta.name)) {
      if (meta.type !== 'float32') throw fail(`input "${meta.name}" is ${meta.type}; only float32 caches are supported`);
      checkCacheShape(files, config, layout.cache, meta.shape);
    }
  }
}

class OnnxBatchDecoder implements BatchDecoder {
  readonly maxBatchSize: number;
  readonly canScorePrompt: boolean;
  private readonly C: number;
  private readonly NH: number;
  private readonly HS: number;
  private readonly V: number;
  private readonly heads: HeadsShape;
  private reserved: Reservation | undefined;
  private reservationRefused = false;
  /** A used-up prefill cache whose buffers the next prefill writes into (keepSpare). */
  private spare: HeadsCache | undefined;
  /** runOutputs' buffers, grown to the largest run so far. */
  private scratch = { logits: new Float32Array(0), keys: [] as Float32Array[], values: [] as Float32Array[] };

  constructor(
    private readonly session: ort.InferenceSession,
    readonly config: ModelConfig,
    readonly layout: DecoderLayout,
    readonly graphFile: string,
    readonly graph: GraphFile,
    maxBatchRows: number,
  ) {
    this.maxBatchSize = layout.hasPositionIds ? Number.MAX_SAFE_INTEGER : 1;
    this.canScorePrompt = layout.canScorePrompt;
    this.C = config.nEmbd;
    this.NH = config.nHead;
    this.HS = config.nEmbd / config.nHead;
    this.V = config.vocabSize;
    this.heads = { layers: config.nLayer, heads: this.NH, headSize: this.HS, maxSlots: config.nPositions, maxRows: maxBatchRows };
  }

  async prefill(prompts: readonly (readonly number[])[], options: PrefillOptions = {}): Promise<StepResult> {
    const B = prompts.length;
    const T = Math.max(...prompts.map((p) => p.length));
    const ids = new BigInt64Array(B * T); // padding: token 0, position 0, masked out
    const mask = new BigInt64Array(B * T);
    const positions = new BigInt64Array(B * T);
    prompts.forEach((prompt, b) => {
      const pad = T - prompt.length;
      prompt.forEach((id, t) => {
        ids[b * T + pad + t] = BigInt(id);
        mask[b * T + pad + t] = 1n;
        positions[b * T + pad + t] = BigInt(t);
      });
    });
    if (options.scorePrompt && !this.canScorePrompt) throw new Error(`${this.graphFile} returns last-position logits only; it cannot score a prompt`);
    return this.run(this.emptyBatch(B), ids, T, mask, positions, prompts.map((p) => p.length), options.scorePrompt === true);
  }

  async step(batchIn: KvBatch, tokenIds: readonly number[]): Promise<StepResult> {
    const batch = batchIn as AnyKv;
    const B = batch.size;
    const P = batch.pastLength;
    if (tokenIds.length !== B) throw new Error(`step: ${tokenIds.length} tokens for a batch of ${B}`);
    const ids = BigInt64Array.from(tokenIds, BigInt);
    const width = pastSlots(batch) + 1;
    const mask = new BigInt64Array(B * width);
    const positions = new BigInt64Array(B);
    for (let b = 0; b < B; b++) {
      const len = batch.lengths[b];
      if (batch.kind === 'heads') {
        mask.fill(1n, b * width, b * width + len); // the row's positions, then free slots, then the new token
        mask[(b + 1) * width - 1] = 1n;
      } else {
        mask.fill(1n, b * width + (P - len), (b + 1) * width); // left padding, then the real past and the new token
      }
      positions[b] = BigInt(len);
    }
    return this.run(batch, ids, 1, mask, positions, batch.lengths.map((n) => n + 1));
  }

  /**
   * One token alone at `position` on an empty cache: what config.json's check at load needs to see. Its
   * failures are expected there (a position past the table), so onnxruntime is asked not to log them.
   */
  async probe(position: number): Promise<ProbeResult> {
    const one = BigInt64Array.of(1n);
    const feeds = this.feeds(this.emptyBatch(1), BigInt64Array.of(0n), 1, one, BigInt64Array.of(BigInt(position))); // token 0 is in every vocabulary
    const out = await this.session.run(feeds, { logSeverityLevel: 4 });
    return { vocabSize: out[this.layout.logits].dims.at(-1) ?? 0, cacheDims: out[this.layout.outKeys[0]].dims };
  }

  private feeds(batch: AnyKv, ids: BigInt64Array, T: number, mask: BigInt64Array, positions: BigInt64Array, allPositions = false): Record<string, ort.Tensor> {
    const B = batch.size;
    const P = pastSlots(batch);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [B, T]),
      attention_mask: new ort.Tensor('int64', mask, [B, P + T]),
    };
    if (this.layout.hasPositionIds) feeds.position_ids = new ort.Tensor('int64', positions, [B, T]);
    if (this.layout.hasLogitsPositions) {
      // Negative indices count from the end (Gather's rule): [-1] is the last position whatever T is.
      const picked = allPositions ? BigInt64Array.from({ length: T }, (_, t) => BigInt(t)) : BigInt64Array.of(-1n);
      feeds.logits_positions = new ort.Tensor('int64', picked, [picked.length]);
    }
    if (this.layout.hasUseCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', new Uint8Array([P > 0 ? 1 : 0]), [1]);
    const L = this.config.nLayer;
    for (let l = 0; l < L; l++) {
      if (batch.kind === 'heads') {
        const dims = [B, this.NH, P, this.HS]; // every slot, the free ones masked out
        feeds[this.layout.pastKeys[l]] = new ort.Tensor('float32', cacheView(this.heads, batch.cache, 'keys', l), dims);
        feeds[this.layout.pastValues[l]] = new ort.Tensor('float32', cacheView(this.heads, batch.cache, 'values', l), dims);
      } else if (batch.kind === 'standard') {
        const dims = [B, this.NH, P, this.HS];
        feeds[this.layout.pastKeys[l]] = new ort.Tensor('float32', batch.keys[l], dims);
        feeds[this.layout.pastValues[l]] = new ort.Tensor('float32', batch.values[l], dims);
      } else {
        const used = P * B * this.C;
        feeds[this.layout.pastKeys[l]] = new ort.Tensor('float32', batch.keys[l].subarray(0, used), [P, B, this.C]);
        feeds[this.layout.pastValues[l]] = new ort.Tensor('float32', batch.values[l].subarray(0, used), [P, B, this.C]);
      }
    }
    return feeds;
  }

  private async run(batch: AnyKv, ids: BigInt64Array, T: number, mask: BigInt64Array, positions: BigInt64Array, newLengths: number[], allPositions = false): Promise<StepResult> {
    const B = batch.size;
    const P = batch.pastLength;
    const feeds = this.feeds(batch, ids, T, mask, positions, allPositions);
    const out = this.layout.contract === 'server' ? await this.session.run(feeds, this.runOutputs(B, T, allPositions)) : await this.session.run(feeds);
    const logits = this.lastLogits(out[this.layout.logits], B, T);
    const promptLogits = allPositions ? this.positionLogits(out[this.layout.logits], T, newLengths) : undefined;
    const keys = this.layout.outKeys.map((name) => out[name].data as Float32Array);
    const values = this.layout.outValues.map((name) => out[name].data as Float32Array);
    let next: AnyKv;
    if (batch.kind === 'standard') {
      next = { kind: 'standard', size: B, pastLength: P + T, lengths: newLengths, keys, values };
    } else if (batch.kind === 'heads') {
      const cache = appendRows(this.heads, batch.cache, T, keys, values, newLengths, this.reservation());
      next = { kind: 'heads', size: B, pastLength: Math.max(...newLengths), lengths: newLengths, cache };
    } else {
      next = this.appendToSlab(batch, T, keys, values, newLengths);
    }
    return { logits, ...(promptLogits ? { promptLogits } : {}), batch: next };
  }

  /**
   * A server graph's outputs, written by onnxruntime straight into buffers this decoder keeps for the next run
   * too: the logits `[B, V]` (unless every position's are asked for) and each layer's new rows
   * `[B, NH, T, HS]` (or `[T, B, C]`). The caller is done with them (sampled, appended to the cache) before
   * the next run: the scheduler runs one at a time. Without them onnxruntime-node copies every output into a
   * new buffer per run, 3.2 MB of logits per step at B = 16 for GPT-2, garbage the allocator then keeps.
   */
  private runOutputs(B: number, T: number, allPositions: boolean): Record<string, ort.Tensor | null> {
    const V = this.V;
    const rowFloats = B * T * this.C;
    if (this.scratch.logits.length < B * V) this.scratch.logits = new Float32Array(B * V);
    if ((this.scratch.keys[0]?.length ?? 0) < rowFloats) {
      this.scratch.keys = this.layout.outKeys.map(() => new Float32Array(rowFloats));
      this.scratch.values = this.layout.outValues.map(() => new Float32Array(rowFloats));
    }
    const rowDims = this.layout.cache === 'heads' ? [B, this.NH, T, this.HS] : [T, B, this.C];
    const fetches: Record<string, ort.Tensor | null> = {
      [this.layout.logits]: allPositions ? null : new ort.Tensor('float32', this.scratch.logits.subarray(0, B * V), [B, V]),
    };
    this.layout.outKeys.forEach((name, l) => (fetches[name] = new ort.Tensor('float32', this.scratch.keys[l].subarray(0, rowFloats), rowDims)));
    this.layout.outValues.forEach((name, l) => (fetches[name] = new ort.Tensor('float32', this.scratch.values[l].subarray(0, rowFloats), rowDims)));
    return fetches;
  }

  /** `[B, T, V]` (standard) or `[B * T, V]` (server, every position asked): each row's real positions but its last. */
  private positionLogits(tensor: ort.Tensor, T: number, lengths: readonly number[]): Float32Array[][] {
    const data = tensor.data as Float32Array;
    const V = this.V;
    if (data.length !== lengths.length * T * V) throw new Error(`logits of shape [${tensor.dims.join(', ')}] are not every position of a [${lengths.length}, ${T}] prefill`);
    return lengths.map((len, b) => Array.from({ length: len - 1 }, (_, t) => {
      const row = b * T + (T - len) + t; // left padding first
      return data.slice(row * V, (row + 1) * V);
    }));
  }

  /**
   * `[B, T, V]` (standard) or `[B, V]` (server) -> one `[V]` row per sequence, for its last position: a view, not a
   * copy (of the run's own output buffer, or of runOutputs' logits buffer, which only the next run writes).
   */
  private lastLogits(tensor: ort.Tensor, B: number, T: number): Float32Array[] {
    const data = tensor.data as Float32Array;
    const V = this.V;
    const perRow = data.length / B;
    if (perRow !== V && perRow !== T * V) throw new Error(`logits of shape [${tensor.dims.join(', ')}] do not fit vocab_size ${V}`);
    return Array.from({ length: B }, (_, b) => data.subarray((b + 1) * perRow - V, (b + 1) * perRow));
  }

  private appendToSlab(batch: SlabKv, T: number, newKeys: Float32Array[], newValues: Float32Array[], lengths: number[]): SlabKv {
    const B = batch.size;
    const rowSize = B * this.C;
    const P = batch.pastLength;
    let slab = batch;
    if (P + T > batch.capacity) slab = this.growSlab(batch, Math.max(P + T, batch.capacity * 2));
    for (let l = 0; l < this.config.nLayer; l++) {
      slab.keys[l].set(newKeys[l], P * rowSize); // new rows are [T, B, C]: exactly the slab's layout
      slab.values[l].set(newValues[l], P * rowSize);
    }
    return { ...slab, pastLength: P + T, lengths };
  }

  private growSlab(batch: SlabKv, capacity: number): SlabKv {
    const size = capacity * batch.size * this.C;
    const used = batch.pastLength * batch.size * this.C;
    const grow = (old: Float32Array) => {
      const next = new Float32Array(size);
      next.set(old.subarray(0, used)); // time-major: growing keeps every row where it was
      return next;
    };
    return { ...batch, capacity, keys: batch.keys.map(grow), values: batch.values.map(grow) };
  }

  merge(rows: readonly { batch: KvBatch; row: number }[]): KvBatch {
    const B = rows.length;
    const lengths = rows.map(({ batch, row }) => batch.lengths[row]);
    const P = Math.max(0, ...lengths);
    const L = this.config.nLayer;
    if (this.layout.contract === 'standard') {
      const { NH, HS } = this;
      const keys = Array.from({ length: L }, () => new Float32Array(B * NH * P * HS));
      const values = Array.from({ length: L }, () => new Float32Array(B * NH * P * HS));
      rows.forEach(({ batch, row }, j) => {
        const src = batch as StandardKv;
        const len = src.lengths[row];
        const srcP = src.pastLength;
        for (let l = 0; l < L; l++) {
          for (let h = 0; h < NH; h++) {
            const from = ((row * NH + h) * srcP + (srcP - len)) * HS;
            const to = ((j * NH + h) * P + (P - len)) * HS;
            keys[l].set(src.keys[l].subarray(from, from + len * HS), to);
            values[l].set(src.values[l].subarray(from, from + len * HS), to);
          }
        }
      });
      const merged: StandardKv = { kind: 'standard', size: B, pastLength: P, lengths, keys, values };
      return merged;
    }
    if (this.layout.cache === 'heads') {
      const sources = rows.map(({ batch, row }) => ({ cache: (batch as HeadsKv).cache, row }));
      const cache = mergeRows(this.heads, sources, this.reservation());
      this.keepSpare(sources.map((s) => s.cache).filter((c) => c.keys[0] !== cache.keys[0]));
      const merged: HeadsKv = { kind: 'heads', size: B, pastLength: P, lengths, cache };
      return merged;
    }
    const C = this.C;
    const capacity = Math.min(this.config.nPositions, Math.max(P + 64, P * 2)); // room for a few dozen steps before growing
    const keys = Array.from({ length: L }, () => new Float32Array(capacity * B * C));
    const values = Array.from({ length: L }, () => new Float32Array(capacity * B * C));
    rows.forEach(({ batch, row }, j) => {
      const src = batch as SlabKv;
      const len = src.lengths[row];
      for (let l = 0; l < L; l++) {
        for (let t = 0; t < len; t++) {
          const from = ((src.pastLength - len + t) * src.size + row) * C;
          const to = ((P - len + t) * B + j) * C;
          keys[l].set(src.keys[l].subarray(from, from + C), to);
          values[l].set(src.values[l].subarray(from, from + C), to);
        }
      }
    });
    const merged: SlabKv = { kind: 'time-major', size: B, pastLength: P, lengths, capacity, keys, values };
    return merged;
  }

  /** Keeps the largest of the caches a merge used up (a prefill's, which mergeRows copied out of) for the next prefill to write into. */
  private keepSpare(usedUp: readonly HeadsCache[]): void {
    for (const c of usedUp) {
      const floats = c.keys[0]?.length ?? 0;
      if (c.keys[0] !== this.reserved?.keys[0] && floats > (this.spare?.keys[0]?.length ?? 0)) this.spare = c;
    }
  }

  /** The running batch's buffers (heads-cache.ts's Reservation), made at the first merge; none where the system refuses them. */
  private reservation(): Reservation | undefined {
    if (this.reserved === undefined && !this.reservationRefused) {
      this.reserved = reserveBuffers(this.heads);
      this.reservationRefused = this.reserved === undefined;
    }
    return this.reserved;
  }

  private emptyBatch(B: number): AnyKv {
    const L = this.config.nLayer;
    const none = () => Array.from({ length: L }, () => new Float32Array(0));
    const lengths = new Array<number>(B).fill(0);
    if (this.layout.contract === 'standard') return { kind: 'standard', size: B, pastLength: 0, lengths, keys: none(), values: none() };
    if (this.layout.cache === 'heads') {
      const cache = emptyHeadsCache(this.heads, B, this.spare);
      this.spare = undefined;
      return { kind: 'heads', size: B, pastLength: 0, lengths, cache };
    }
    return { kind: 'time-major', size: B, pastLength: 0, lengths, capacity: 0, keys: none(), values: none() };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** The past's length as the graph sees it: a heads cache's slots (free ones masked out), else the padded length. */
function pastSlots(batch: AnyKv): number {
  return batch.kind === 'heads' ? batch.cache.capacity : batch.pastLength;
}

