import { describe, expect, it } from 'vitest';
import { gpt2TensorShapes, type Gpt2Config, type Gpt2Weights } from '../model/gpt2-config.js';
import { SeededRandom } from '../model/random.js';
import { gpt2Forward } from '../model/reference-forward.js';
import { globalNorm } from './grad-clip.js';
import { TrainingSession, type TokenBatch } from './training-session.js';

const config: Gpt2Config = { vocabSize: 37, nPositions: 8, nEmbd: 16, nLayer: 2, nHead: 2, layerNormEpsilon: 1e-5, bosTokenId: 36, eosTokenId: 36 };

/**
 * Weights much larger than GPT-2's N(0, 0.02) init, with random LayerNorm gains and biases: at the real
 * init the attention is nearly uniform and some gradients are ~1e-5, below what float32 finite
 * differences resolve, so the check would pass whatever those gradients were.
 */
function largeRandomWeights(seed: number): Gpt2Weights {
  const rng = new SeededRandom(seed);
  const weights: Gpt2Weights = new Map();
  for (const [name, shape] of gpt2TensorShapes(config)) {
    const w = rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), /ln_.*\.weight$/.test(name) ? 0.2 : 0.3);
    if (/ln_.*\.weight$/.test(name)) for (let i = 0; i < w.length; i++) w[i] += 1;
    weights.set(name, w);
  }
  return weights;
}

/** B=2, T=8, with the last three positions of row 1 as padding (mask 0). */
function batch(padTarget = 0): TokenBatch {
  const B = 2, T = 8;
  const rng = new SeededRandom(7);
  const ids = BigInt64Array.from({ length: B * T }, () => BigInt(rng.nextUint32() % config.vocabSize));
  const targets = BigInt64Array.from({ length: B * T }, () => BigInt(rng.nextUint32() % config.vocabSize));
  const lossMask = new Float32Array(B * T).fill(1);
  for (let t = 5; t < T; t++) {
    lossMask[T + t] = 0;
    targets[T + t] = BigInt(padTarget);
  }
  return { B, T, inputIds: ids, targets, lossMask };
}

describe('GPT-2 training graph', () => {
  it('gives gradients that match central finite differences of its own loss, for every parameter tensor', async () => {
    const grad = await TrainingSession.create(config, 'gradients', { threads: 1 });
    const lossOnly = await TrainingSession.create(config, 'loss', { threads: 1 });
    const weights = largeRandomWeights(3);
    const b = batch();
    const { grads, gradNorm } = await grad.lossAndGradients(weights, b);
    expect(gradNorm).toBeCloseTo(globalNorm(grads), 4); // the graph's own grad_sumsq output
    const rng = new SeededRandom(11);
    // float32 loss (~4) carries rounding noise of a few 1e-7; over a step of 2 * 1e-2 that is ~1e-5 in the
    // difference quotient, and the O(eps^2) truncation error is of the same order for these O(1) weights.
    // So: |analytic - numeric| <= 2e-4 + 2e-2 * |numeric|, checked at the largest-gradient coordinate of each
    // tensor and three random ones. A wrong backward (a missing term, a transposed weight) misses by O(1) relative.
    const eps = 1e-2;
    let checked = 0;
    for (const [name, w] of weights) {
      const g = grads.get(name)!;
      let argmax = 0;
      for (let i = 1; i < g.length; i++) if (Math.abs(g[i]) > Math.abs(g[argmax])) argmax = i;
      expect(Math.abs(g[argmax]), `${name} has a non-zero gradient`).toBeGreaterThan(1e-3);
      for (const i of [argmax, ...[0, 1, 2].map(() => rng.nextUint32() % w.length)]) {
        const original = w[i];
        w[i] = original + eps;
        const plusW = w[i];
        const plus = (await lossOnly.lossAndGradients(weights, b)).loss;
        w[i] = original - eps;
        const minusW = w[i];
        const minus = (await lossOnly.lossAndGradients(weights, b)).loss;
        w[i] = original;
        const numeric = (plus - minus) / (plusW - minusW); // the step actually taken, in float64
        expect(Math.abs(g[i] - numeric), `${name}[${i}]: analytic ${g[i]}, numeric ${numeric}`).toBeLessThanOrEqual(2e-4 + 2e-2 * Math.abs(numeric));
        checked++;
      }
    }
    expect(checked).toBe(4 * weights.size);
  });

  it('masks padding out: targets under loss_mask 0 change neither the loss nor any gradient', async () => {
    const session = await TrainingSession.create(config, 'gradients', { threads: 1 });
    const weights = largeRandomWeights(5);
    const a = await session.lossAndGradients(weights, batch(0));
    const b = await session.lossAndGradients(weights, batch(17));
    expect(b.loss).toBe(a.loss);
    for (const [name, g] of a.grads) expect(Array.from(b.grads.get(name)!), name).toEqual(Array.from(g));
  });

  it('averages the loss over unmasked tokens: all-uniform logits give exactly log(V)', async () => {
    const session = await TrainingSession.create(config, 'loss', { threads: 1 });
    const weights = largeRandomWeights(5);
    weights.get('wte.weight')!.fill(0); // tied head of zeros -> every logit 0
    const { loss } = await session.lossAndGradients(weights, batch());
    expect(loss).toBeCloseTo(Math.log(config.vocabSize), 5);
  });

  it('computes the same logits as the reference forward, and its loss is the cross-entropy of those logits', async () => {
    const weights = largeRandomWeights(9);
    const b = batch();
    const { B, T } = b;
    const V = config.vocabSize;
    const ids = Array.from(b.inputIds, Number);
    const reference = gpt2Forward(config, weights, {
      batchSize: B,
      inputIds: ids,
      attentionMask: new Array(B * T).fill(1),
      positionIds: ids.map((_, i) => i % T),
    }).logits;
    const logitsSession = await TrainingSession.create(config, 'logits', { threads: 1 });
    const logits = await logitsSession.logits(weights, b.inputIds, B, T);
    let maxDiff = 0;
    for (let i = 0; i < logits.length; i++) maxDiff = Math.max(maxDiff, Math.abs(logits[i] - reference[i]));
    expect(maxDiff).toBeLessThan(1e-4);

    // Mean cross-entropy over unmasked positions, in float64 from the reference logits.
    let total = 0, count = 0;
    for (let n = 0; n < B * T; n++) {
      if (!b.lossMask[n]) continue;
      const row = reference.subarray(n * V, (n + 1) * V);
      const max = Math.max(...row);
      const logSum = Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0)) + max;
      total += logSum - row[Number(b.targets[n])];
      count++;
    }
    const lossSession = await TrainingSession.create(config, 'loss', { threads: 1 });
    const { loss } = await lossSession.lossAndGradients(weights, b);
    expect(loss).toBeCloseTo(total / count, 4);
  });
});
