/**
 * Random GPT-2 weights from a seed, with GPT-2's initialisation (as in nanoGPT's `_init_weights`):
 * every matrix and embedding ~ N(0, 0.02), the residual projections (`attn.c_proj`, `mlp.c_proj`)
 * ~ N(0, 0.02 / sqrt(2 L)), biases 0, LayerNorm weight 1 and bias 0.
 *
 * Each tensor draws from its own stream seeded by (seed, name), so a tensor's values do not depend on
 * which other tensors exist or in which order they are made. Each tensor is allocated once and filled
 * in place: the 124M shape costs its 498 MB and nothing more.
 */
import { gpt2TensorShapes, type Gpt2Config, type Gpt2Weights } from './gpt2-config.js';
import { SeededRandom, seedFor } from './random.js';

const STD = 0.02;

export interface InitWeightsOptions {
  /** Called after each tensor with the number of floats filled so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

export function initGpt2Weights(config: Gpt2Config, seed: number, options: InitWeightsOptions = {}): Gpt2Weights {
  const shapes = gpt2TensorShapes(config);
  let total = 0;
  for (const shape of shapes.values()) total += shape.reduce((a, b) => a * b, 1);
  const residualStd = STD / Math.sqrt(2 * config.nLayer);
  const weights: Gpt2Weights = new Map();
  let done = 0;
  for (const [name, shape] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    const w = new Float32Array(size); // zeros: every bias and LayerNorm bias
    if (/ln_(1|2|f)\.weight$/.test(name)) w.fill(1);
    else if (name.endsWith('c_proj.weight')) new SeededRandom(seedFor(seed, name)).fillNormal(w, residualStd);
    else if (name.endsWith('.weight')) new SeededRandom(seedFor(seed, name)).fillNormal(w, STD);
    weights.set(name, w);
    done += size;
    options.onProgress?.(done, total);
  }
  return weights;
}
