/**
 * `npm run bench:adamw -w training`: one AdamW update over GPT-2 124M's parameters (random init, GPT-2's
 * vocabulary, gradScale 0.7 as under clipping), the WebAssembly SIMD kernel (`adamw-wasm.ts`) against the
 * JS reference `adamwUpdate` as peer, alternating in the same process. The first update of each is a
 * warm-up (JIT, page faults) and is not counted. Options: --steps N (timed updates each, default 4).
 */
import { parseArgs } from 'node:util';
import { GPT2_124M } from '../src/model/gpt2-config.js';
import { initGpt2Weights } from '../src/model/init-weights.js';
import { adamwUpdate, createAdamWState } from '../src/train/adamw.js';
import { adoptWasmAdamW } from '../src/train/adamw-wasm.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '4' } } });
const steps = Number(values.steps);
const config = { ...GPT2_124M, vocabSize: 50257 };
const jsWeights = initGpt2Weights(config, 1), jsState = createAdamWState(jsWeights);
const wasmWeights = initGpt2Weights(config, 1), wasmState = createAdamWState(wasmWeights);
const wasmUpdate = adoptWasmAdamW(wasmWeights, wasmState);
const grads = initGpt2Weights(config, 2);
let params = 0;
for (const w of jsWeights.values()) params += w.length;

const time = (run: () => void) => {
  const start = performance.now();
  run();
  return performance.now() - start;
};
let jsMs = 0, wasmMs = 0;
for (let i = 0; i <= steps; i++) {
  const js = time(() => adamwUpdate(jsWeights, grads, jsState, 1e-4, undefined, 0.7));
  const wasm = time(() => wasmUpdate(wasmWeights, grads, wasmState, 1e-4, undefined, 0.7));
  if (i === 0) continue;
  jsMs += js;
  wasmMs += wasm;
}
let worst = 0;
for (const [name, p] of jsWeights) {
  const q = wasmWeights.get(name)!;
  for (let i = 0; i < p.length; i += 101) worst = Math.max(worst, Math.abs(p[i] - q[i]));
}
process.stdout.write(
  `AdamW update, ${(params / 1e6).toFixed(1)}M params, mean of ${steps} after one warm-up:\n` +
    `  wasm simd (adamw-wasm.ts): ${(wasmMs / steps).toFixed(0)} ms\n` +
    `  peer, JS adamwUpdate:      ${(jsMs / steps).toFixed(0)} ms   (speed-up ${(jsMs / wasmMs).toFixed(2)}x)\n` +
    `  max |p_wasm - p_js| after ${steps + 1} updates (every 101st value): ${worst.toExponential(2)}\n`,
);
