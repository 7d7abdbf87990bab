/**
 * How closely the ONNX decoder (onnxruntime-node) agrees with the reference forward, on the issue's three
 * cases, for a tiny model and for the 124M shape; with the time each took, as a ratio in the same run.
 *
 *   npm run bench:agreement -w training            (add `-- --skip-124m` for the tiny model only)
 */
import { OnnxCausalLm } from '../src/generate/onnx-causal-lm.js';
import { referenceCausalLm, type CausalLm } from '../src/generate/causal-lm.js';
import { generate } from '../src/generate/generate.js';
import { leftPad } from '../src/generate/left-pad.js';
import { GPT2_124M, type Gpt2Config, type Gpt2Weights } from '../src/model/gpt2-config.js';
import { initGpt2Weights } from '../src/model/init-weights.js';
import type { ForwardInputs, KvCache } from '../src/model/reference-forward.js';
import { tinyTestModel } from '../testing/index.js';
import { buildGpt2Decoder } from '../src/onnx/gpt2-decoder.js';
import { encodeModel } from '../src/onnx/onnx-proto.js';
import { maxAbsDiff } from '../src/model/max-abs-diff.js';

interface Step {
  inputs: Omit<ForwardInputs, 'past'>;
}

/** Runs the same steps through both models, each with its own cache; returns the worst logits difference. */
async function compare(onnx: CausalLm, reference: CausalLm, steps: Step[]): Promise<{ diff: number; onnxMs: number; referenceMs: number }> {
  let diff = 0;
  let onnxMs = 0;
  let referenceMs = 0;
  let pastOnnx: KvCache | undefined;
  let pastRef: KvCache | undefined;
  for (const { inputs } of steps) {
    let t = performance.now();
    const a = await onnx.forward({ ...inputs, past: pastOnnx });
    onnxMs += performance.now() - t;
    t = performance.now();
    const b = await reference.forward({ ...inputs, past: pastRef });
    referenceMs += performance.now() - t;
    diff = Math.max(diff, maxAbsDiff(a.logits, b.logits));
    pastOnnx = a.present;
    pastRef = b.present;
  }
  return { diff, onnxMs, referenceMs };
}

function cases(): [string, Step[]][] {
  const prompt = [15, 92, 41, 7, 200, 33, 81, 5];
  const ones = (n: number) => Array(n).fill(1);
  const batch = leftPad([prompt, prompt.slice(0, 3)], 0);
  return [
    ['(a) prompt, empty past', [{ inputs: { batchSize: 1, inputIds: prompt, attentionMask: ones(8), positionIds: prompt.map((_, i) => i) } }]],
    [
      '(b) prompt + 3 cached steps',
      [
        { inputs: { batchSize: 1, inputIds: prompt, attentionMask: ones(8), positionIds: prompt.map((_, i) => i) } },
        ...[9, 10, 11].map((S, n) => ({ inputs: { batchSize: 1, inputIds: [60 + n], attentionMask: ones(S), positionIds: [S - 1] } })),
      ],
    ],
    [
      '(c) 2 left-padded prompts + 2 steps',
      [
        { inputs: batch },
        { inputs: { batchSize: 2, inputIds: [1, 2], attentionMask: [...ones(9), 0, 0, 0, 0, 0, ...ones(4)], positionIds: [8, 3] } },
        { inputs: { batchSize: 2, inputIds: [3, 4], attentionMask: [...ones(10), 0, 0, 0, 0, 0, ...ones(5)], positionIds: [9, 4] } },
      ],
    ],
  ];
}

async function report(label: string, config: Gpt2Config, weights: Gpt2Weights, greedyTokens: number): Promise<void> {
  const onnx = await OnnxCausalLm.load(encodeModel(buildGpt2Decoder(config, weights)).concat(), config);
  const reference = referenceCausalLm(config, weights);
  console.log(`\n${label}: ${config.nLayer} layers x ${config.nHead} heads x ${config.nEmbd}, vocab ${config.vocabSize}`);
  for (const [name, steps] of cases()) {
    const { diff, onnxMs, referenceMs } = await compare(onnx, reference, steps);
    console.log(`  ${name.padEnd(38)} max |logits diff| ${diff.toExponential(2)}   onnx ${onnxMs.toFixed(1)} ms, reference ${referenceMs.toFixed(1)} ms (${(referenceMs / onnxMs).toFixed(1)}x)`);
  }
  const prompts = [[15, 92, 41, 7], [200, 33]];
  const [a, b] = [await generate(onnx, prompts, { maxNewTokens: greedyTokens }), await generate(reference, prompts, { maxNewTokens: greedyTokens })];
  console.log(`  greedy ${greedyTokens} tokens x 2 left-padded prompts: ${JSON.stringify(a) === JSON.stringify(b) ? 'identical' : `DIFFERENT ${JSON.stringify(a)} vs ${JSON.stringify(b)}`}`);
  await onnx.release();
}

const tiny = tinyTestModel(7);
await report('tiny (test) model, weights x10 init scale', tiny.config, tiny.weights, 16);
if (!process.argv.includes('--skip-124m')) {
  const config: Gpt2Config = { ...GPT2_124M, vocabSize: 50257 };
  await report('124M shape, GPT-2 init', config, initGpt2Weights(config, 0), 4);
}
