/**
 * `npm run bench:logprobs -w server`: what `logprobs` and `echo` cost, each against its peer in the same run,
 * on a random model with GPT-2's vocabulary (50257: the LM head and the softmax dominate, as in GPT-2 small
 * at tweet length) and a small body (--layers 4, --embd 256) so it runs in a minute on two cores.
 *
 * 1. The `logits_positions` input: decode steps on our server graph against the same graph exported as
 *    before it (position -1 a constant). Equal times mean the input costs requests that do not score nothing.
 * 2. Scoring a prompt: prefill of a --prompt-token prompt asking for every position's logits against the
 *    same prefill asking for the last only, and against the standard graph (model.onnx), which always returns
 *    every position; with the bytes of logits each returns.
 * 3. A token's logprobs (copy of the logits + log-sum-exp + top 5) against the sampler's own work on it.
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createSampler } from '@mimicbot/model-format/sampling';
import { tinyTestModel } from '@mimicbot/training/testing';
import { loadDecoder, type BatchDecoder } from '../src/engine/onnx-decoder.js';
import { scoreToken } from '../src/engine/token-logprobs.js';
import { makeTempDir, writeLayoutModel } from '../testing/index.js';

const { values: args } = parseArgs({
  options: {
    layers: { type: 'string', default: '4' },
    embd: { type: 'string', default: '256' },
    steps: { type: 'string', default: '64' },
    'prompt-tokens': { type: 'string', default: '128' },
    rounds: { type: 'string', default: '3' },
  },
});
const V = 50257;
const model = tinyTestModel(7, { vocabSize: V, nLayer: Number(args.layers), nEmbd: Number(args.embd), nHead: 4, nPositions: 1024, eosTokenId: V - 1, bosTokenId: V - 1 });
const steps = Number(args.steps);
const promptTokens = Number(args['prompt-tokens']);
const rounds = Number(args.rounds);
const prompt = Array.from({ length: promptTokens }, (_, t) => (t * 7919) % V);

/**
 * Each run's best of `rounds`, in ms, the runs taking turns within each round: on a shared machine the load
 * comes and goes, and alternating spreads it over all of them.
 */
async function best(...runs: (() => Promise<void> | void)[]): Promise<number[]> {
  const min = runs.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    for (const [i, run] of runs.entries()) {
      const start = performance.now();
      await run();
      min[i] = Math.min(min[i], performance.now() - start);
    }
  }
  return min;
}

async function decodeSteps(decoder: BatchDecoder): Promise<void> {
  let { batch } = await decoder.prefill([prompt.slice(0, 16), prompt.slice(16, 32), prompt.slice(32, 48), prompt.slice(48, 64)]);
  for (let s = 0; s < steps; s++) ({ batch } = await decoder.step(batch, [1, 2, 3, 4]));
}

const root = await makeTempDir('mimicbot-bench-logprobs-');
try {
  process.stderr.write(`writing models (${args.layers} layers, ${args.embd} channels, vocab ${V}) to ${root}\n`);
  const server = await loadDecoder((await writeLayoutModel(root, 'server', model)).dir, { intraOpNumThreads: 1 });
  const old = await loadDecoder((await writeLayoutModel(root, 'server-last-only', model)).dir, { intraOpNumThreads: 1 });
  const standard = await loadDecoder((await writeLayoutModel(root, 'standard', model)).dir, { intraOpNumThreads: 1 });
  const row = (name: string, ms: number, peer: number, extra = '') => console.log(`${name.padEnd(58)} ${ms.toFixed(2).padStart(9)} ms  ${(ms / peer).toFixed(2)}x${extra}`);

  console.log(`\n1. decode step, batch 4 (ms per step, best of ${rounds} x ${steps} steps)`);
  const [oldStep, newStep] = (await best(() => decodeSteps(old), () => decodeSteps(server))).map((ms) => ms / steps);
  row('server graph exported before logits_positions (peer)', oldStep, oldStep);
  row('server graph with logits_positions = [-1]', newStep, oldStep);

  console.log(`\n2. prefill of one ${promptTokens}-token prompt (ms, best of ${rounds})`);
  const mb = (rows: number) => `  logits out: ${((rows * V * 4) / 1e6).toFixed(1)} MB`;
  const [last, scored, std] = await best(
    async () => void (await server.prefill([prompt])),
    async () => void (await server.prefill([prompt], { scorePrompt: true })),
    async () => void (await standard.prefill([prompt], { scorePrompt: true })),
  );
  row('server graph, last position only (peer)', last, last, mb(1));
  row('server graph, every position (echo + logprobs)', scored, last, mb(promptTokens));
  row('standard graph (always every position)', std, last, mb(promptTokens));

  console.log(`\n3. per token, vocab ${V} (µs, best of ${rounds} x 200 tokens)`);
  const logits = Float32Array.from({ length: V }, (_, v) => Math.sin(v * 0.37) * 6);
  const sampler = createSampler({ temperature: 0.8, topK: 0, topP: 0.9, repetitionPenalty: 1.2, seed: 1 });
  const [sample, score] = (
    await best(
      () => {
        for (let i = 0; i < 200; i++) sampler.next(logits.slice(), prompt);
      },
      () => {
        for (let i = 0; i < 200; i++) scoreToken(logits.slice(), i, 5);
      },
    )
  ).map((ms) => ms * 5);
  const fmt = (name: string, us: number) => console.log(`${name.padEnd(58)} ${us.toFixed(0).padStart(9)} µs  ${(us / sample).toFixed(2)}x`);
  fmt('sampler.next (top_p 0.9, penalty 1.2) on a copy (peer)', sample);
  fmt('logprobs: copy + log-sum-exp + top 5', score);
  await Promise.all([server.release(), old.release(), standard.release()]);
} finally {
  await rm(root, { recursive: true, force: true });
}
