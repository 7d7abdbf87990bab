/**
 * A stand-in for the engine's BatchDecoder, for driving the scheduler through its seam. Its "KV cache" is
 * each row's token history, its logits a deterministic function of that whole history (`fakeLogits`), and
 * it records every call. So a scheduler that feeds a wrong token, merges the wrong rows, or runs a spent
 * batch again gets different tokens or an error, never the right answer by accident.
 *
 * Like a real graph it has a position table: a run that would feed a row past it fails, whatever else is
 * in the batch (what a config.json that claims more context than its graph leads to).
 */
import type { KvBatch, PrefillOptions, StepResult } from '../src/engine/onnx-decoder.js';
import type { SchedulerDecoder } from '../src/engine/scheduler.js';
import type { ModelConfig } from '../src/engine/types.js';

/** One call, with each row's tokens as the call would leave them (prefill: the prompts; step: one token longer). */
export interface DecoderCall {
  op: 'prefill' | 'step' | 'merge';
  rows: number[][];
  /** A prefill asked for every prompt position's logits. */
  scorePrompt?: boolean;
}

export interface FakeDecoderOptions {
  vocabSize?: number;
  /** What config.json claims (default 64). */
  nPositions?: number;
  /** What the graph really has (default: nPositions). */
  positionTable?: number;
  /** What the decoder can batch (default: unbounded). */
  maxBatchSize?: number;
  /** Whether prefill returns every prompt position's logits when asked (default: true; false is an old server graph). */
  canScorePrompt?: boolean;
  /**
   * Called before each call with what it would compute; throwing (or rejecting, for prefill and step)
   * fails that call. Merges are synchronous: a promise returned for one is not awaited.
   */
  onCall?: (call: DecoderCall) => void | Promise<void>;
}

interface FakeBatch extends KvBatch {
  rows: number[][];
  spent: boolean;
}

export class FakeBatchDecoder implements SchedulerDecoder {
  readonly config: ModelConfig;
  readonly maxBatchSize: number;
  readonly canScorePrompt: boolean;
  readonly calls: DecoderCall[] = [];
  private readonly positionTable: number;

  constructor(private readonly options: FakeDecoderOptions = {}) {
    const vocabSize = options.vocabSize ?? 50;
    const nPositions = options.nPositions ?? 64;
    this.config = { nLayer: 1, nHead: 1, nEmbd: 4, vocabSize, nPositions, eosTokenId: vocabSize - 1, bosTokenId: vocabSize - 1 };
    this.maxBatchSize = options.maxBatchSize ?? Number.MAX_SAFE_INTEGER;
    this.positionTable = options.positionTable ?? nPositions;
    this.canScorePrompt = options.canScorePrompt ?? true;
  }

  async prefill(prompts: readonly (readonly number[])[], options: PrefillOptions = {}): Promise<StepResult> {
    if (options.scorePrompt && !this.canScorePrompt) throw new Error('fake decoder: asked to score a prompt it cannot');
    const result = await this.run('prefill', prompts.map((p) => [...p]), options.scorePrompt === true);
    if (!options.scorePrompt) return result;
    // Position t's logits are those of the history up to and including token t.
    return { ...result, promptLogits: prompts.map((p) => p.slice(0, -1).map((_, t) => fakeLogits(p.slice(0, t + 1), this.config.vocabSize))) };
  }

  async step(batch: KvBatch, tokenIds: readonly number[]): Promise<StepResult> {
    const input = this.usable(batch);
    if (tokenIds.length !== input.size) throw new Error(`fake decoder: ${tokenIds.length} tokens for a batch of ${input.size}`);
    input.spent = true; // a real step's input cache must not be used again
    return this.run('step', input.rows.map((row, b) => [...row, tokenIds[b]]));
  }

  merge(rows: readonly { batch: KvBatch; row: number }[]): KvBatch {
    const merged = rows.map(({ batch, row }) => [...this.usable(batch).rows[row]]);
    const call: DecoderCall = { op: 'merge', rows: merged };
    this.calls.push(call);
    void this.options.onCall?.(call);
    return makeBatch(merged);
  }

  private async run(op: 'prefill' | 'step', rows: number[][], scorePrompt = false): Promise<StepResult> {
    const call: DecoderCall = scorePrompt ? { op, rows, scorePrompt } : { op, rows };
    this.calls.push(call);
    await this.options.onCall?.(call);
    const tooLong = rows.find((r) => r.length > this.positionTable);
    if (tooLong) throw new Error(`fake decoder: position ${tooLong.length - 1} is outside the position table (0..${this.positionTable - 1})`);
    return { logits: rows.map((r) => fakeLogits(r, this.config.vocabSize)), batch: makeBatch(rows) };
  }

  private usable(batch: KvBatch): FakeBatch {
    const fake = batch as FakeBatch;
    if (!Array.isArray(fake.rows)) throw new Error('fake decoder: not one of my batches');
    if (fake.spent) throw new Error('fake decoder: a batch was used again after a step consumed it');
    return fake;
  }
}

function makeBatch(rows: number[][]): FakeBatch {
  const lengths = rows.map((r) => r.length);
  return { size: rows.length, pastLength: Math.max(0, ...lengths), lengths, rows, spent: false };
}

/** Next-token logits in [0, 4) for a history: a hash of every token in it, so any change to it changes them. */
export function fakeLogits(history: readonly number[], vocabSize: number): Float32Array {
  let h = 0x811c9dc5;
  for (const t of history) h = Math.imul(h ^ t, 0x01000193);
  const logits = new Float32Array(vocabSize);
  for (let v = 0; v < vocabSize; v++) {
    let x = Math.imul(h ^ Math.imul(v + 1, 0x9e3779b1), 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x ^= x >>> 16;
    logits[v] = ((x >>> 0) / 4294967296) * 4;
  }
  return logits;
}
