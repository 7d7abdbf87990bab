import { TrainingSession } from './training/src/train/training-session.js';
import { initGpt2Weights } from './training/src/model/init-weights.js';
for (const [L, C, NH, B, T] of [[4, 192, 4, 16, 128], [4, 256, 4, 16, 128], [4, 192, 4, 8, 256], [6, 192, 6, 16, 128]]) {
const config = { vocabSize: 257, nPositions: 256, nEmbd: C, nLayer: L, nHead: NH, layerNormEpsilon: 1e-5, bosTokenId: 256, eosTokenId: 256 };
const w = initGpt2Weights(config, 1);
const s = await TrainingSession.create(config, 'gradients', {threads: 2});
const ids = BigInt64Array.from({ length: B * T }, (_, i) => BigInt((i * 7) % 257));
const m = new Float32Array(B*T).fill(1);
await s.lossAndGradients(w, { B, T, inputIds: ids, targets: ids, lossMask: m });
const t0 = performance.now();
for (let i = 0; i < 4; i++) await s.lossAndGradients(w, { B, T, inputIds: ids, targets: ids, lossMask: m });
const dt = (performance.now() - t0) / 4;
let n = 0; for (const v of w.values()) n += v.length;
console.log(L, C, NH, B, T, 'params', n, 'ms/step', dt.toFixed(0), 'tok/s', (B * T / dt * 1000).toFixed(0));
}
