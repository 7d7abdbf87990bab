/**
 * The one seam between training and onnxruntime: a session over a training graph, fed the current
 * weights (zero-copy) and a batch, returning the loss and the gradients as Float32Arrays.
 */
import * as ort from 'onnxruntime-node';
import { gpt2TensorShapes, type Gpt2Config, type Gpt2Weights } from '../model/gpt2-config.js';
import { encodeTrainingGraph, GRAD_PREFIX, GRAD_SUMSQ, type TrainingGraphMode } from './training-graph.js';

/** One batch: rows of B sequences of T tokens, row-major. */
export interface TokenBatch {
  B: number;
  T: number;
  inputIds: BigInt64Array; // (B, T)
  targets: BigInt64Array; // (B, T): the next token; any valid id where lossMask is 0
  lossMask: Float32Array; // (B, T): 1 where the target counts, 0 for padding
}

export interface SessionOptions {
  /** Threads for onnxruntime's intra-op pool; default: onnxruntime's own (the physical cores). */
  threads?: number;
}

export class TrainingSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly shapes: Map<string, number[]>,
    readonly mode: TrainingGraphMode,
  ) {}

  static async create(config: Gpt2Config, mode: TrainingGraphMode, options: SessionOptions = {}): Promise<TrainingSession> {
    const session = await ort.InferenceSession.create(encodeTrainingGraph(config, mode), {
      graphOptimizationLevel: 'all',
      ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
    });
    return new TrainingSession(session, gpt2TensorShapes(config), mode);
  }

  private feeds(weights: Gpt2Weights, batch: Omit<TokenBatch, 'targets' | 'lossMask'> & Partial<TokenBatch>): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', batch.inputIds, [batch.B, batch.T]),
    };
    if (this.mode !== 'logits') {
      if (!batch.targets || !batch.lossMask) throw new Error('a loss needs targets and loss_mask');
      feeds.targets = new ort.Tensor('int64', batch.targets, [batch.B, batch.T]);
      feeds.loss_mask = new ort.Tensor('float32', batch.lossMask, [batch.B, batch.T]);
    }
    for (const [name, shape] of this.shapes) {
      const w = weights.get(name);
      if (!w) throw new Error(`weights: missing ${name}`);
      feeds[name] = new ort.Tensor('float32', w, shape);
    }
    return feeds;
  }

  /**
   * Mean loss over unmasked tokens and, in mode 'gradients', d loss / d parameter for every parameter
   * and the gradients' global L2 norm (NaN in the other modes).
   */
  async lossAndGradients(weights: Gpt2Weights, batch: TokenBatch): Promise<{ loss: number; grads: Gpt2Weights; gradNorm: number }> {
    const out = await this.session.run(this.feeds(weights, batch));
    const grads: Gpt2Weights = new Map();
    if (this.mode === 'gradients') for (const name of this.shapes.keys()) grads.set(name, out[GRAD_PREFIX + name].data as Float32Array);
    const gradNorm = this.mode === 'gradients' ? Math.sqrt((out[GRAD_SUMSQ].data as Float32Array)[0]) : NaN;
    return { loss: (out.loss.data as Float32Array)[0], grads, gradNorm };
  }

  /** Logits (B, T, V) for a 'logits' session. */
  async logits(weights: Gpt2Weights, inputIds: BigInt64Array, B: number, T: number): Promise<Float32Array> {
    const out = await this.session.run(this.feeds(weights, { B, T, inputIds }));
    return out.logits.data as Float32Array;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
