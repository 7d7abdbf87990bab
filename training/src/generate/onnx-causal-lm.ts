/**
 * The seam to onnxruntime for the CLI and tests: runs a decoder with the optimum `text-generation-with-past`
 * contract (our model.onnx, or any optimum GPT-2 export) one step at a time.
 */
import * as ort from 'onnxruntime-node';
import { headDim, type Gpt2Config } from '../model/gpt2-config.js';
import type { ForwardInputs, ForwardOutputs, KvCache } from '../model/reference-forward.js';
import { pastKeyName, pastValueName, presentKeyName, presentValueName } from '../onnx/gpt2-decoder.js';
import type { CausalLm } from './causal-lm.js';

export class OnnxCausalLm implements CausalLm {
  private constructor(
    readonly config: Gpt2Config,
    private readonly session: ort.InferenceSession,
  ) {}

  /** `model` is a path to model.onnx (external data is found beside it) or the model's bytes. */
  static async load(model: string | Uint8Array, config: Gpt2Config, options: ort.InferenceSession.SessionOptions = {}): Promise<OnnxCausalLm> {
    // Two calls because create's overloads take a path or bytes, not their union.
    const session = typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
    return new OnnxCausalLm(config, session);
  }

  async forward(inputs: ForwardInputs): Promise<ForwardOutputs> {
    const { nLayer: L, nHead: NH } = this.config;
    const HS = headDim(this.config);
    const B = inputs.batchSize;
    const T = inputs.inputIds.length / B;
    const P = inputs.past?.length ?? 0;
    const int64 = (values: ArrayLike<number>, dims: number[]): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(Array.from(values), BigInt), dims);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64(inputs.inputIds, [B, T]),
      attention_mask: int64(inputs.attentionMask, [B, P + T]),
      position_ids: int64(inputs.positionIds, [B, T]),
    };
    const empty = new Float32Array(0);
    for (let l = 0; l < L; l++) {
      feeds[pastKeyName(l)] = new ort.Tensor('float32', inputs.past?.key[l] ?? empty, [B, NH, P, HS]);
      feeds[pastValueName(l)] = new ort.Tensor('float32', inputs.past?.value[l] ?? empty, [B, NH, P, HS]);
    }
    const out = await this.session.run(feeds);
    const present: KvCache = { length: P + T, key: [], value: [] };
    for (let l = 0; l < L; l++) {
      present.key.push(out[presentKeyName(l)].data as Float32Array);
      present.value.push(out[presentValueName(l)].data as Float32Array);
    }
    return { logits: out.logits.data as Float32Array, present };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
