/**
 * GPT-2's forward pass in plain TypeScript over Float32Arrays, written to be read top to bottom like
 * llm.c's `train_gpt2.c`. It is the independent truth the ONNX graph is tested against, so it favours
 * plainness over speed: no fused kernels, sums in double precision, one loop nest per layer.
 *
 * Shape letters:
 *   B  batch size                    T  new tokens in this call (sequence_length)
 *   P  tokens already in the cache   S  P + T, the keys each query may look at
 *   C  channels (n_embd)             NH heads, HS = C / NH channels per head
 *   V  vocabulary size               L  layers
 *
 * Inputs follow the optimum `text-generation-with-past` contract: `attentionMask` is [B, S] with 1 for
 * a real token and 0 for padding (left padding works), `positionIds` is [B, T], and the cache holds
 * per layer K and V as [B, NH, P, HS]. A query may attend to key s when s is not in its future and
 * attentionMask[b, s] is 1. A masked key gets the lowest float32 score rather than -Infinity, so a
 * query with no key at all (a padding position) averages every value instead of producing NaN.
 */
import type { Gpt2Config, Gpt2Weights } from './gpt2-config.js';

/** Per layer K and V, each [B, NH, length, HS]. */
export interface KvCache {
  length: number;
  key: Float32Array[];
  value: Float32Array[];
}

export interface ForwardInputs {
  batchSize: number; // B
  inputIds: ArrayLike<number>; // [B, T]
  attentionMask: ArrayLike<number>; // [B, S]
  positionIds: ArrayLike<number>; // [B, T]
  /** Absent or of length 0 on the first step. */
  past?: KvCache;
}

export interface ForwardOutputs {
  logits: Float32Array; // [B, T, V]
  present: KvCache; // per layer [B, NH, S, HS]
}

/** The score a masked key gets: the lowest float32, as Hugging Face uses `finfo.min`. */
export const MASKED_SCORE = -3.4028234663852886e38;

export function encoderForward(out: Float32Array, inp: ArrayLike<number>, pos: ArrayLike<number>, wte: Float32Array, wpe: Float32Array, N: number, C: number): void {
  // out[n, :] = wte[inp[n], :] + wpe[pos[n], :] for each of the N = B*T tokens
  for (let n = 0; n < N; n++) {
    const t = inp[n] * C;
    const p = pos[n] * C;
    for (let c = 0; c < C; c++) out[n * C + c] = wte[t + c] + wpe[p + c];
  }
}

export function layernormForward(out: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array, N: number, C: number, eps: number): void {
  for (let n = 0; n < N; n++) {
    const x = n * C;
    let mean = 0;
    for (let c = 0; c < C; c++) mean += inp[x + c];
    mean /= C;
    let variance = 0; // biased, as torch's LayerNorm
    for (let c = 0; c < C; c++) variance += (inp[x + c] - mean) ** 2;
    variance /= C;
    const rstd = 1 / Math.sqrt(variance + eps);
    for (let c = 0; c < C; c++) out[x + c] = (inp[x + c] - mean) * rstd * weight[c] + bias[c];
  }
}

/** out[N, OC] = inp[N, C] @ weight[C, OC] + bias[OC]; the weight is in GPT-2's Conv1D layout [in, out]. */
export function matmulForward(out: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array, N: number, C: number, OC: number): void {
  const acc = new Float64Array(OC);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < OC; o++) acc[o] = bias[o];
    for (let c = 0; c < C; c++) {
      const x = inp[n * C + c];
      const row = c * OC;
      for (let o = 0; o < OC; o++) acc[o] += x * weight[row + o];
    }
    for (let o = 0; o < OC; o++) out[n * OC + o] = acc[o];
  }
}

/**
 * Causal self-attention with a cache. qkv is [B, T, 3C] (q, k, v side by side); the new k and v are
 * appended to the past to make the present K/V [B, NH, S, HS]; out is [B, T, C].
 */
export function attentionForward(
  out: Float32Array,
  presentK: Float32Array,
  presentV: Float32Array,
  qkv: Float32Array,
  pastK: Float32Array | undefined,
  pastV: Float32Array | undefined,
  mask: ArrayLike<number>,
  B: number,
  T: number,
  P: number,
  C: number,
  NH: number,
): void {
  const HS = C / NH;
  const S = P + T;
  // present = concat(past, new) along the sequence axis
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      const dst = (b * NH + h) * S * HS;
      if (P > 0 && pastK && pastV) {
        const src = (b * NH + h) * P * HS;
        presentK.set(pastK.subarray(src, src + P * HS), dst);
        presentV.set(pastV.subarray(src, src + P * HS), dst);
      }
      for (let t = 0; t < T; t++) {
        const row = (b * T + t) * 3 * C + h * HS;
        for (let i = 0; i < HS; i++) {
          presentK[dst + (P + t) * HS + i] = qkv[row + C + i];
          presentV[dst + (P + t) * HS + i] = qkv[row + 2 * C + i];
        }
      }
    }
  }
  const scale = 1 / Math.sqrt(HS);
  const att = new Float64Array(S);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      const kv = (b * NH + h) * S * HS;
      for (let t = 0; t < T; t++) {
        const q = (b * T + t) * 3 * C + h * HS;
        // scores: q . k / sqrt(HS), masked keys get MASKED_SCORE
        let max = -Infinity;
        for (let s = 0; s < S; s++) {
          const allowed = s <= P + t && mask[b * S + s] !== 0;
          let score = MASKED_SCORE;
          if (allowed) {
            let dot = 0;
            for (let i = 0; i < HS; i++) dot += qkv[q + i] * presentK[kv + s * HS + i];
            score = Math.fround(dot * scale);
          }
          att[s] = score;
          if (score > max) max = score;
        }
        // softmax over the keys
        let sum = 0;
        for (let s = 0; s < S; s++) {
          att[s] = Math.exp(att[s] - max);
          sum += att[s];
        }
        // weighted sum of the values
        const o = (b * T + t) * C + h * HS;
        for (let i = 0; i < HS; i++) {
          let y = 0;
          for (let s = 0; s < S; s++) y += (att[s] / sum) * presentV[kv + s * HS + i];
          out[o + i] = y;
        }
      }
    }
  }
}

/** GPT-2's `gelu_new`, the tanh approximation. */
export function geluForward(out: Float32Array, inp: Float32Array, N: number): void {
  const k = Math.sqrt(2 / Math.PI);
  for (let i = 0; i < N; i++) {
    const x = inp[i];
    out[i] = 0.5 * x * (1 + Math.tanh(k * (x + 0.044715 * x * x * x)));
  }
}

export function residualForward(out: Float32Array, inp1: Float32Array, inp2: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) out[i] = inp1[i] + inp2[i];
}

/** logits[N, V] = x[N, C] @ wte^T: the head is tied to the token embedding. */
export function logitsForward(out: Float32Array, x: Float32Array, wte: Float32Array, N: number, C: number, V: number): void {
  for (let n = 0; n < N; n++) {
    for (let v = 0; v < V; v++) {
      let dot = 0;
      for (let c = 0; c < C; c++) dot += x[n * C + c] * wte[v * C + c];
      out[n * V + v] = dot;
    }
  }
}

export function gpt2Forward(config: Gpt2Config, weights: Gpt2Weights, inputs: ForwardInputs): ForwardOutputs {
  const { vocabSize: V, nEmbd: C, nHead: NH, nLayer: L, layerNormEpsilon: eps } = config;
  const B = inputs.batchSize;
  const T = inputs.inputIds.length / B;
  const P = inputs.past?.length ?? 0;
  const S = P + T;
  const HS = C / NH;
  const N = B * T;
  if (!Number.isInteger(T) || inputs.positionIds.length !== N) throw new Error(`inputIds and positionIds must both be [B=${B}, T]`);
  if (inputs.attentionMask.length !== B * S) throw new Error(`attentionMask must be [B=${B}, P+T=${S}], got ${inputs.attentionMask.length} values`);
  for (let n = 0; n < N; n++) {
    const id = inputs.inputIds[n];
    const pos = inputs.positionIds[n];
    if (!(id >= 0 && id < V)) throw new Error(`input id ${id} is outside the vocabulary [0, ${V})`);
    if (!(pos >= 0 && pos < config.nPositions)) throw new Error(`position id ${pos} is outside [0, ${config.nPositions})`);
  }
  const w = (name: string): Float32Array => {
    const t = weights.get(name);
    if (!t) throw new Error(`missing weight ${name}`);
    return t;
  };

  const x = new Float32Array(N * C); // the residual stream [B, T, C]
  const ln = new Float32Array(N * C);
  const qkv = new Float32Array(N * 3 * C);
  const atty = new Float32Array(N * C);
  const proj = new Float32Array(N * C);
  const fch = new Float32Array(N * 4 * C);
  const fchGelu = new Float32Array(N * 4 * C);
  const present: KvCache = { length: S, key: [], value: [] };

  encoderForward(x, inputs.inputIds, inputs.positionIds, w('wte.weight'), w('wpe.weight'), N, C);
  for (let l = 0; l < L; l++) {
    const h = `h.${l}`;
    const presentK = new Float32Array(B * NH * S * HS);
    const presentV = new Float32Array(B * NH * S * HS);
    layernormForward(ln, x, w(`${h}.ln_1.weight`), w(`${h}.ln_1.bias`), N, C, eps);
    matmulForward(qkv, ln, w(`${h}.attn.c_attn.weight`), w(`${h}.attn.c_attn.bias`), N, C, 3 * C);
    attentionForward(atty, presentK, presentV, qkv, inputs.past?.key[l], inputs.past?.value[l], inputs.attentionMask, B, T, P, C, NH);
    matmulForward(proj, atty, w(`${h}.attn.c_proj.weight`), w(`${h}.attn.c_proj.bias`), N, C, C);
    residualForward(x, x, proj, N * C);
    layernormForward(ln, x, w(`${h}.ln_2.weight`), w(`${h}.ln_2.bias`), N, C, eps);
    matmulForward(fch, ln, w(`${h}.mlp.c_fc.weight`), w(`${h}.mlp.c_fc.bias`), N, C, 4 * C);
    geluForward(fchGelu, fch, N * 4 * C);
    matmulForward(proj, fchGelu, w(`${h}.mlp.c_proj.weight`), w(`${h}.mlp.c_proj.bias`), N, 4 * C, C);
    residualForward(x, x, proj, N * C);
    present.key.push(presentK);
    present.value.push(presentV);
  }
  layernormForward(ln, x, w('ln_f.weight'), w('ln_f.bias'), N, C, eps);
  const logits = new Float32Array(N * V);
  logitsForward(logits, ln, w('wte.weight'), N, C, V);
  return { logits, present };
}
