/**
 * `npm run bench:train`: training speed of the ONNX training graph on this machine, for GPT-2 124M (random
 * init, GPT-2's vocabulary) and for the default model's shape. For each shape, in a child process of its
 * own (so peak RSS is that shape's):
 *   - train step: graph forward + backward (+ the gradients' norm), clipped AdamW update (WebAssembly SIMD), as `train` runs it;
 *   - peer:       the same batch through the forward-only loss graph (what one step costs without learning).
 * Prints tokens/s for both, their ratio (backprop's ideal is ~1/3 of forward speed), peak RSS, and the time
 * one epoch over 10,000 tweets (~30 GPT-2 tokens each) would take.
 *
 * Options: --steps N (timed steps per measurement, default 3), --threads N.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GPT2_124M, type Gpt2Config } from '../src/model/gpt2-config.js';
import { initGpt2Weights } from '../src/model/init-weights.js';
import { SeededRandom } from '../src/model/random.js';
import { createAdamWState } from '../src/train/adamw.js';
import { adoptWasmAdamW } from '../src/train/adamw-wasm.js';
import { packedBatch } from '../src/train/batches.js';
import { clipScale } from '../src/train/grad-clip.js';
import { TrainingSession } from '../src/train/training-session.js';

interface Shape {
  name: string;
  config: Gpt2Config;
  B: number;
  T: number;
}

const SHAPES: Shape[] = [
  {
    name: 'default model (4x160, bytes)',
    config: { vocabSize: 257, nPositions: 256, nEmbd: 160, nLayer: 4, nHead: 4, layerNormEpsilon: 1e-5, bosTokenId: 256, eosTokenId: 256 },
    B: 8,
    T: 256,
  },
  { name: 'GPT-2 124M', config: { ...GPT2_124M, vocabSize: 50257 }, B: 4, T: 64 }, // llm.c's CPU setting
  { name: 'GPT-2 124M', config: { ...GPT2_124M, vocabSize: 50257 }, B: 8, T: 128 }, // ~34 tweets a step: the per-step AdamW pass amortized
];
const TOKENS_PER_TWEET = 30;

const { values } = parseArgs({ options: { steps: { type: 'string', default: '3' }, threads: { type: 'string', default: '2' }, only: { type: 'string' } } });
const steps = Number(values.steps);
const threads = Number(values.threads);

interface Result {
  name: string;
  params: number;
  B: number;
  T: number;
  trainTokensPerSecond: number;
  /** Share of a train step spent outside onnxruntime: the (clipped) AdamW update. */
  updateShare: number;
  forwardTokensPerSecond: number;
  peakRssMb: number;
}

async function measure(shape: Shape): Promise<Result> {
  const { config, B, T } = shape;
  const weights = initGpt2Weights(config, 1);
  const optimizer = createAdamWState(weights);
  const adamwUpdate = adoptWasmAdamW(weights, optimizer); // as `train` does
  const stream = Int32Array.from({ length: 100_000 }, (_, i) => (i * 7919) % config.vocabSize);
  const random = new SeededRandom(1);
  const batch = () => packedBatch(stream, B, T, random, config.eosTokenId);
  const time = async (run: () => Promise<void>) => {
    await run(); // warm-up: first run allocates and pre-packs
    const start = performance.now();
    for (let i = 0; i < steps; i++) await run();
    return (steps * B * T) / ((performance.now() - start) / 1000);
  };
  const forward = await TrainingSession.create(config, 'loss', { threads });
  const forwardTokensPerSecond = await time(async () => {
    await forward.lossAndGradients(weights, batch());
  });
  await forward.release();
  const training = await TrainingSession.create(config, 'gradients', { threads });
  let updateMs = 0;
  const trainTokensPerSecond = await time(async () => {
    const { grads, gradNorm } = await training.lossAndGradients(weights, batch());
    const start = performance.now();
    adamwUpdate(weights, grads, optimizer, 1e-4, undefined, clipScale(gradNorm, 1));
    updateMs += performance.now() - start;
  });
  const updateShare = (updateMs / 1000 / (steps + 1)) / ((B * T) / trainTokensPerSecond);
  await training.release();
  let params = 0;
  for (const w of weights.values()) params += w.length;
  return { name: shape.name, params, B, T, trainTokensPerSecond, updateShare, forwardTokensPerSecond, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

if (values.only !== undefined) {
  process.stdout.write(JSON.stringify(await measure(SHAPES[Number(values.only)])) + '\n');
} else {
  const script = fileURLToPath(import.meta.url);
  process.stdout.write(`bench:train — ${steps} timed steps per measurement after one warm-up, ${threads} onnxruntime threads\n`);
  for (let i = 0; i < SHAPES.length; i++) {
    const out = execFileSync(process.execPath, [...process.execArgv, script, '--only', String(i), '--steps', String(steps), '--threads', String(threads)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as Result;
    const epochMinutes = (10_000 * TOKENS_PER_TWEET) / r.trainTokensPerSecond / 60;
    process.stdout.write(
      `${r.name}: ${(r.params / 1e6).toFixed(1)}M params, B=${r.B} T=${r.T}\n` +
        `  train step (fwd+bwd+AdamW): ${r.trainTokensPerSecond.toFixed(1)} tokens/s (${(100 * r.updateShare).toFixed(0)}% of it in the AdamW update)\n` +
        `  peer, forward-only loss:    ${r.forwardTokensPerSecond.toFixed(1)} tokens/s  (train/forward = ${(r.trainTokensPerSecond / r.forwardTokensPerSecond).toFixed(2)})\n` +
        `  peak RSS: ${r.peakRssMb.toFixed(0)} MB; one epoch over 10,000 tweets (~${TOKENS_PER_TWEET} tokens each): ${epochMinutes.toFixed(1)} min\n`,
    );
  }
}
