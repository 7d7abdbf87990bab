/**
 * Continuous batching over one BatchDecoder: between two decoding steps, waiting requests are prefilled
 * together in one left-padded run (padding is masked, so each first token equals its solo token) and join
 * the running batch, and finished or aborted ones leave it. Every running sequence advances one token per step.
 *
 * A failed run is not the end of the sequences in it: each is re-run alone from its history (prompt plus
 * the tokens it has, which is exactly the cache the failed run would have used), and only a sequence that
 * also fails alone fails. A sequence is re-run alone at most MAX_SOLO_RERUNS times, so a model that fails
 * every batched run ends its requests instead of looping.
 *
 * It runs where the decoder runs (the engine worker); the main thread's engine forwards requests and
 * aborts to it and gets tokens back. Each sequence samples with its own seeded generator, so neither
 * greedy nor seeded results depend on the batch (nor on a re-run: the generator is not rewound).
 *
 * Log-probabilities are computed here, where the logits are, and only for requests that ask: a token's from
 * a copy of its logits taken before the sampler rewrites them; a prompt's from a prefill that returns every
 * position's logits, which is `[T, V]` floats, so such a prompt is prefilled alone.
 */
import { EngineClosedError, InvalidTokenRequestError } from './errors.js';
import type { BatchDecoder, KvBatch, StepResult } from './onnx-decoder.js';
import { createSampler, type TokenSampler } from '@mimicbot/model-format/sampling';
import { MAX_TOP_LOGPROBS, scoreToken } from './token-logprobs.js';
import type { FinishReason, SamplingParams, TokenLogprob, TokenResult } from './types.js';

/** A TokenRequest without its callbacks and signal: what crosses the worker boundary. */
export interface PlainTokenRequest {
  promptIds: readonly number[];
  maxNewTokens: number;
  sampling: SamplingParams;
  stopTokenIds: readonly number[];
  logprobs?: number;
  scorePrompt?: boolean;
}

export interface SequenceEvents {
  /** The request left the queue and is being prefilled. */
  onStart?(id: number): void;
  /** A `scorePrompt` request's prompt scores (entry t for prompt token t + 1), before its first token. */
  onPromptScored?(id: number, scores: TokenLogprob[]): void;
  onToken(id: number, tokenId: number, logprob?: TokenLogprob): void;
  onDone(id: number, result: TokenResult): void;
  onError(id: number, error: unknown): void;
}

/** The part of BatchDecoder the scheduler drives; scheduler.test.ts drives it with a fake. */
export type SchedulerDecoder = Pick<BatchDecoder, 'config' | 'maxBatchSize' | 'prefill' | 'merge' | 'step'> & Partial<Pick<BatchDecoder, 'canScorePrompt'>>;

/**
 * Most padded prompt tokens prefilled in one run. A prefill's activations (onnxruntime's arena grows to hold
 * them, and keeps what it grew) and its new cache rows scale with its tokens: at GPT-2 124M, 16 tweet-sized
 * prompts prefilled at once cost ~60 MB more peak memory than the same prompts in runs of 128 tokens, for no
 * measurable throughput (a matrix of 128 rows already keeps the cores busy). It also keeps the running batch's
 * stall short when long prompts arrive. A single longer prompt still goes, alone.
 */
export const PREFILL_TOKEN_BUDGET = 128;

/** How often one sequence may be re-run alone after batched runs failed before it fails with them. */
export const MAX_SOLO_RERUNS = 3;

export interface SchedulerOptions {
  /** Most sequences decoded together; more wait in the queue. */
  maxBatchSize: number;
}

interface Waiting {
  id: number;
  request: PlainTokenRequest;
  /** Built once, at submit, which is also where its parameters are checked. */
  sampler: TokenSampler;
}

interface Sequence {
  id: number;
  history: number[]; // prompt + generated
  generated: number[];
  maxNewTokens: number;
  stop: Set<number>;
  sampler: TokenSampler;
  /** Alternatives per token when the request asked for logprobs. */
  logprobs?: number;
  /** Still to score (the prefill that scores it has not succeeded yet). */
  scorePrompt: boolean;
  /** The token to feed at the next step (the last of `history`). */
  next: number;
  finish?: FinishReason;
  abortRequested: boolean;
  soloReruns: number;
}

export class Scheduler {
  private readonly waiting: Waiting[] = [];
  private running: Sequence[] = [];
  private batch: KvBatch | null = null;
  /** Prefilled (or re-run) this iteration, joining the batch at the next rebuild: their batch and row in it. */
  private pendingJoins: { seq: Sequence; batch: KvBatch; row: number }[] = [];
  /** Every sequence past the queue and not yet ended, by id: where an abort finds it, whatever phase it is in. */
  private readonly live = new Map<number, Sequence>();
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
    let sampler: TokenSampler;
    try {
      if (this.closing) throw new EngineClosedError();
      this.validate(request);
      sampler = createSampler(request.sampling); // throws InvalidSamplingParamsError naming the field
    } catch (error) {
      this.events.onError(id, error);
      return;
    }
    if (request.maxNewTokens === 0 && !request.scorePrompt) {
      this.events.onDone(id, { tokenIds: [], finishReason: 'length' });
      return;
    }
    this.waiting.push({ id, request, sampler });
    this.wake?.();
  }

  /** A queued request ends at once; a started one leaves at the next step boundary, keeping the tokens it has. */
  abort(id: number): void {
    const queued = this.waiting.findIndex((w) => w.id === id);
    if (queued >= 0) {
      this.waiting.splice(queued, 1);
      this.events.onDone(id, { tokenIds: [], finishReason: 'aborted' });
      return;
    }
    const seq = this.live.get(id);
    if (seq) seq.abortRequested = true; // an id that already ended is ignored
  }

  /** Takes no new work; resolves when every queued and running request has finished. */
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
    if (r.logprobs !== undefined && !(Number.isInteger(r.logprobs) && r.logprobs >= 0 && r.logprobs <= MAX_TOP_LOGPROBS)) throw new InvalidTokenRequestError('logprobs', `must be an integer from 0 to ${MAX_TOP_LOGPROBS}`);
    if (r.scorePrompt && !this.decoder.canScorePrompt) throw new InvalidTokenRequestError('scorePrompt', 'the served graph returns last-position logits only, so it cannot score a prompt; re-export the model with the training package');
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.waiting.length === 0 && this.running.length === 0 && this.pendingJoins.length === 0) {
        if (this.closing) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        // Requests come in bursts of messages; let the rest of the burst in so they share one prefill.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      try {
        await this.admit();
        await this.rebuildIfChanged();
        if (this.batch && this.running.length > 0) await this.decodeStep();
      } catch (error) {
        // Not a model failure (every decoder call handles its own): a bug here. End what is in flight
        // rather than leave its callers waiting forever, and keep serving the queue.
        for (const s of [...this.live.values()]) this.fail(s, error);
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
   * PREFILL_TOKEN_BUDGET padded tokens; a single longer prompt still goes, alone). A prompt to score goes alone.
   */
  private async admit(): Promise<void> {
    const group: Waiting[] = [];
    let longest = 0;
    while (this.waiting.length > 0 && this.running.length + this.pendingJoins.length + group.length < this.maxBatchSize) {
      const length = Math.max(longest, this.waiting[0].request.promptIds.length);
      const scoring = this.waiting[0].request.scorePrompt === true;
      if (group.length > 0 && (scoring || length * (group.length + 1) > PREFILL_TOKEN_BUDGET)) break;
      longest = length;
      group.push(this.waiting.shift()!);
      if (scoring) break;
    }
    if (group.length === 0) return;
    const sequences = group.map(({ id, request, sampler }): Sequence => {
      const seq: Sequence = {
        id,
        history: [...request.promptIds],
        generated: [],
        maxNewTokens: request.maxNewTokens,
        stop: new Set(request.stopTokenIds),
        sampler,
        logprobs: request.logprobs,
        scorePrompt: request.scorePrompt === true,
        next: -1,
        abortRequested: false,
        soloReruns: 0,
      };
      this.live.set(id, seq);
      this.events.onStart?.(id);
      return seq;
    });
    let result: StepResult;
    try {
      result = await this.decoder.prefill(sequences.map((s) => s.history), sequences[0].scorePrompt ? { scorePrompt: true } : undefined);
    } catch (error) {
      await this.rerunAlone(sequences, error);
      return;
    }
    sequences.forEach((seq, row) => this.join(seq, result, row));
  }

  /**
   * After a failed run: each sequence that was in it runs again alone, from its whole history, and joins
   * the batch if that works. A sequence that was alone in the failed run has failed alone already.
   */
  private async rerunAlone(sequences: Sequence[], batchError: unknown): Promise<void> {
    for (const seq of sequences) {
      if (seq.abortRequested) {
        this.end(seq, 'aborted');
        continue;
      }
      if (sequences.length === 1 || seq.soloReruns >= MAX_SOLO_RERUNS) {
        this.fail(seq, batchError);
        continue;
      }
      seq.soloReruns++;
      let result: StepResult;
      try {
        result = await this.decoder.prefill([seq.history], seq.scorePrompt ? { scorePrompt: true } : undefined);
      } catch (error) {
        this.fail(seq, error);
        continue;
      }
      this.join(seq, result, 0);
    }
  }

  /** Takes a sequence's next token from a run's row; it joins the batch at the next rebuild unless it ended. */
  private join(seq: Sequence, result: StepResult, row: number): void {
    if (seq.scorePrompt) {
      const rows = result.promptLogits?.[row] ?? [];
      // The prompt is the whole history here: nothing is generated before its scoring prefill succeeds.
      this.events.onPromptScored?.(seq.id, rows.map((logits, t) => scoreToken(logits, seq.history[t + 1], seq.logprobs ?? 0)));
      seq.scorePrompt = false;
      if (seq.maxNewTokens === 0) {
        this.end(seq, 'length');
        return;
      }
    }
    this.accept(seq, result.logits[row]);
    if (seq.finish) this.end(seq, seq.finish);
    else this.pendingJoins.push({ seq, batch: result.batch, row });
  }

  /** Drops finished rows, adds joining ones, and re-packs the cache only when the rows changed. */
  private async rebuildIfChanged(): Promise<void> {
    for (const s of [...this.running, ...this.pendingJoins.map((j) => j.seq)]) if (s.abortRequested && !s.finish) s.finish = 'aborted';
    const leaving = [...this.running, ...this.pendingJoins.map((j) => j.seq)].filter((s) => s.finish);
    const joins = this.pendingJoins.filter((j) => !j.seq.finish);
    for (const s of leaving) this.end(s, s.finish!);
    this.pendingJoins = [];
    if (leaving.length === 0 && joins.length === 0) return;
    const staying = this.running.filter((s) => !s.finish);
    const rows: { batch: KvBatch; row: number }[] = [];
    this.running.forEach((s, row) => !s.finish && rows.push({ batch: this.batch!, row }));
    for (const j of joins) rows.push({ batch: j.batch, row: j.row });
    const sequences = [...staying, ...joins.map((j) => j.seq)];
    this.running = [];
    this.batch = null;
    if (rows.length === 0) return;
    try {
      this.batch = this.decoder.merge(rows);
    } catch (error) {
      await this.rerunAlone(sequences, error);
      return;
    }
    this.running = sequences;
  }

  private async decodeStep(): Promise<void> {
    const sequences = this.running;
    let result: StepResult;
    try {
      result = await this.decoder.step(this.batch!, sequences.map((s) => s.next));
    } catch (error) {
      // The step consumed the batch's cache; each row is rebuilt from its history instead.
      this.running = [];
      this.batch = null;
      await this.rerunAlone(sequences, error);
      return;
    }
    this.batch = result.batch;
    sequences.forEach((s, row) => this.accept(s, result.logits[row]));
  }

  /** Samples a sequence's next token from its logits and decides whether it goes on. */
  private accept(seq: Sequence, logits: Float32Array): void {
    const raw = seq.logprobs === undefined ? null : logits.slice(); // the sampler rewrites `logits`
    const token = seq.sampler.next(logits, seq.history);
    if (seq.stop.has(token)) {
      seq.finish = 'stop';
      return;
    }
    seq.generated.push(token);
    seq.history.push(token);
    seq.next = token;
    this.events.onToken(seq.id, token, raw ? scoreToken(raw, token, seq.logprobs!) : undefined);
    if (seq.generated.length >= seq.maxNewTokens || seq.history.length >= this.decoder.config.nPositions) seq.finish = 'length';
  }

  private end(seq: Sequence, finishReason: FinishReason): void {
    this.live.delete(seq.id);
    this.events.onDone(seq.id, { tokenIds: seq.generated, finishReason });
  }

  private fail(seq: Sequence, error: unknown): void {
    this.live.delete(seq.id);
    this.events.onError(seq.id, error);
  }
}
