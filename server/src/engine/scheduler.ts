/**
 * Continuous batching over one BatchDecoder: between two decoding steps, waiting requests are prefilled
 * together in one left-padded run (padding is masked, so each first token equals its solo token) and join
 * the running batch, and finished or aborted ones leave it. Every running sequence advances one token per step.
 *
 * It runs where the decoder runs (the engine worker); the main thread's engine forwards requests and
 * aborts to it and gets tokens back. Each sequence samples with its own seeded generator, so neither
 * greedy nor seeded results depend on the batch.
 */
import { InvalidTokenRequestError } from './errors.js';
import type { BatchDecoder, KvBatch } from './onnx-decoder.js';
import { createSampler, type TokenSampler } from '@mimicbot/model-format/sampling';
import type { FinishReason, SamplingParams, TokenResult } from './types.js';

/** A TokenRequest without its callbacks and signal: what crosses the worker boundary. */
export interface PlainTokenRequest {
  promptIds: readonly number[];
  maxNewTokens: number;
  sampling: SamplingParams;
  stopTokenIds: readonly number[];
}

export interface SequenceEvents {
  /** The request left the queue and is being prefilled. */
  onStart?(id: number): void;
  onToken(id: number, tokenId: number): void;
  onDone(id: number, result: TokenResult): void;
  onError(id: number, error: unknown): void;
}

/** The subset of BatchDecoder the scheduler uses (so a test can count calls on a real one). */
export type SchedulerDecoder = Pick<BatchDecoder, 'config' | 'maxBatchSize' | 'prefill' | 'merge' | 'step'>;

/** Most padded prompt tokens prefilled in one run. */
const PREFILL_TOKEN_BUDGET = 4096;

export interface SchedulerOptions {
  /** Most sequences decoded together; more wait in the queue. */
  maxBatchSize: number;
}

interface Sequence {
  id: number;
  history: number[]; // prompt + generated
  generated: number[];
  maxNewTokens: number;
  stop: Set<number>;
  sampler: TokenSampler;
  /** The token to feed at the next step. */
  next: number;
  finish?: FinishReason;
}

export class Scheduler {
  private readonly waiting: { id: number; request: PlainTokenRequest }[] = [];
  private running: Sequence[] = [];
  private batch: KvBatch | null = null;
  /** Prefilled this iteration, joining the batch at the next rebuild: the prefill batch and their row in it. */
  private pendingJoins: { seq: Sequence; batch: KvBatch; row: number }[] = [];
  private readonly aborted = new Set<number>();
  private wake: (() => void) | null = null;
  private closing = false;
  private readonly loop: Promise<void>;
  /** Effective: the option, capped by what the decoder can batch. */
  readonly maxBatchSize: number;

  constructor(
    private readonly decoder: SchedulerDecoder,
    private readonly events: SequenceEvents,
    options: SchedulerOptions,
  ) {
    this.maxBatchSize = Math.max(1, Math.min(options.maxBatchSize, decoder.maxBatchSize));
    this.loop = this.run();
  }

  stats(): { queueDepth: number; activeSequences: number } {
    return { queueDepth: this.waiting.length, activeSequences: this.running.length };
  }

  /** Queues a request; validation errors are reported through `onError`. */
  submit(id: number, request: PlainTokenRequest): void {
    try {
      this.validate(request);
    } catch (error) {
      this.events.onError(id, error);
      return;
    }
    if (request.maxNewTokens === 0) {
      this.events.onDone(id, { tokenIds: [], finishReason: 'length' });
      return;
    }
    this.waiting.push({ id, request });
    this.wake?.();
  }

  /** The sequence leaves at the next step boundary, keeping the tokens it has. */
  abort(id: number): void {
    const queued = this.waiting.findIndex((w) => w.id === id);
    if (queued >= 0) {
      this.waiting.splice(queued, 1);
      this.events.onDone(id, { tokenIds: [], finishReason: 'aborted' });
      return;
    }
    // Running, or being prefilled right now; `finish` forgets the id again.
    this.aborted.add(id);
  }

  /** Takes no new work after the queue drains; resolves when every request has finished. */
  async close(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await this.loop;
  }

  private validate(r: PlainTokenRequest): void {
    const { vocabSize, nPositions } = this.decoder.config;
    if (r.promptIds.length === 0) throw new InvalidTokenRequestError('promptIds', 'must hold at least one token (use the EOS/BOS token for an empty prompt)');
    if (r.promptIds.length >= nPositions) throw new InvalidTokenRequestError('promptIds', `${r.promptIds.length} tokens leave no room in the model's context of ${nPositions}`);
    for (const id of r.promptIds) if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw new InvalidTokenRequestError('promptIds', `token id ${id} is outside the vocabulary (0..${vocabSize - 1})`);
    if (!Number.isInteger(r.maxNewTokens) || r.maxNewTokens < 0) throw new InvalidTokenRequestError('maxNewTokens', 'must be an integer >= 0');
    createSampler(r.sampling); // throws InvalidSamplingParamsError naming the field
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.waiting.length === 0 && this.running.length === 0) {
        if (this.closing) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        // Requests come in bursts of messages; let the rest of the burst in so they share one prefill.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      try {
        await this.admit();
        this.rebuildIfChanged();
        if (this.batch && this.running.length > 0) await this.decodeStep();
      } catch (error) {
        // A failed run poisons the whole batch's cache: fail its sequences, keep serving the queue.
        for (const s of [...this.running, ...this.pendingJoins.map((j) => j.seq)]) this.events.onError(s.id, error);
        this.running = [];
        this.pendingJoins = [];
        this.batch = null;
      }
      // Let abort and submit messages in between steps.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Prefills waiting requests, while there is room in the batch, in one left-padded run (at most
   * PREFILL_TOKEN_BUDGET padded tokens, so one long prompt does not stall the batch for long).
   */
  private async admit(): Promise<void> {
    const group: { id: number; request: PlainTokenRequest }[] = [];
    let longest = 0;
    while (this.waiting.length > 0 && this.running.length + this.pendingJoins.length + group.length < this.maxBatchSize) {
      const length = Math.max(longest, this.waiting[0].request.promptIds.length);
      if (group.length > 0 && length * (group.length + 1) > PREFILL_TOKEN_BUDGET) break;
      longest = length;
      group.push(this.waiting.shift()!);
    }
    if (group.length === 0) return;
    const sequences = group.map(({ id, request }): Sequence => {
      this.events.onStart?.(id);
      return {
        id,
        history: [...request.promptIds],
        generated: [],
        maxNewTokens: request.maxNewTokens,
        stop: new Set(request.stopTokenIds),
        sampler: createSampler(request.sampling),
        next: -1,
      };
    });
    let result;
    try {
      result = await this.decoder.prefill(group.map((g) => g.request.promptIds));
    } catch (error) {
      for (const { id } of group) this.events.onError(id, error);
      return;
    }
    sequences.forEach((seq, row) => {
      this.accept(seq, result.logits[row]);
      if (seq.finish) this.finish(seq);
      else this.pendingJoins.push({ seq, batch: result.batch, row });
    });
  }

  /** Drops finished rows, adds prefilled ones, and re-packs the cache only when the rows changed. */
  private rebuildIfChanged(): void {
    for (const s of [...this.running, ...this.pendingJoins.map((j) => j.seq)]) if (this.aborted.has(s.id) && !s.finish) s.finish = 'aborted';
    const leaving = this.running.filter((s) => s.finish);
    const joins = this.pendingJoins.filter((j) => !j.seq.finish);
    for (const s of [...leaving, ...this.pendingJoins.filter((j) => j.seq.finish).map((j) => j.seq)]) this.finish(s);
    this.pendingJoins = [];
    if (leaving.length === 0 && joins.length === 0) return;
    const rows: { batch: KvBatch; row: number }[] = [];
    this.running.forEach((s, row) => !s.finish && rows.push({ batch: this.batch!, row }));
    for (const j of joins) rows.push({ batch: j.batch, row: j.row });
    this.running = [...this.running.filter((s) => !s.finish), ...joins.map((j) => j.seq)];
    this.batch = rows.length > 0 ? this.decoder.merge(rows) : null;
  }

  private async decodeStep(): Promise<void> {
    const { logits, batch } = await this.decoder.step(this.batch!, this.running.map((s) => s.next));
    this.batch = batch;
    this.running.forEach((s, row) => this.accept(s, logits[row]));
  }

  /** Samples a sequence's next token from its logits and decides whether it goes on. */
  private accept(seq: Sequence, logits: Float32Array): void {
    const token = seq.sampler.next(logits, seq.history);
    if (seq.stop.has(token)) {
      seq.finish = 'stop';
      return;
    }
    seq.generated.push(token);
    seq.history.push(token);
    seq.next = token;
    this.events.onToken(seq.id, token);
    if (seq.generated.length >= seq.maxNewTokens || seq.history.length >= this.decoder.config.nPositions) seq.finish = 'length';
  }

  private finish(seq: Sequence): void {
    this.aborted.delete(seq.id);
    this.events.onDone(seq.id, { tokenIds: seq.generated, finishReason: seq.finish ?? 'stop' });
  }
}
