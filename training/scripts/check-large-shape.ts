/**
 * Checks that a gpt2-large-shaped model folder (36 x 20 x 1280, 3.1 GB of fp32 weights, past protobuf's 2 GB
 * limit) is written with external data and that onnxruntime loads and runs it. Weights are zeros (untouched
 * pages), so the check costs disk and time, not 3 GB of memory for the weights.
 *
 *   npm run check:large-shape -w training [-- <scratch-dir>]     (writes ~3.1 GB, removed afterwards)
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxCausalLm } from '../src/generate/onnx-causal-lm.js';
import { gpt2TensorShapes, type Gpt2Config } from '../src/model/gpt2-config.js';
import { writeModelFolder } from '../src/model-folder/write-model-folder.js';
import { buildByteLevelTokenizer } from '../src/tokenizer/index.js';

const config: Gpt2Config = { vocabSize: 50257, nPositions: 1024, nEmbd: 1280, nLayer: 36, nHead: 20, layerNormEpsilon: 1e-5, bosTokenId: 50256, eosTokenId: 50256 };
const weights = new Map<string, Float32Array>();
for (const [name, shape] of gpt2TensorShapes(config)) weights.set(name, new Float32Array(shape.reduce((a, b) => a * b, 1)));
const dir = join(process.argv[2] ?? tmpdir(), 'mimicbot-large-shape');
await rm(dir, { recursive: true, force: true });
try {
  let t = performance.now();
  await writeModelFolder(dir, { config, weights, tokenizer: buildByteLevelTokenizer() });
  console.log(`wrote ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  for (const f of (await readdir(dir)).sort()) console.log(`  ${f.padEnd(24)} ${(await stat(join(dir, f))).size} bytes`);
  const hf = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  console.log(`  config.json transformers.js_config: ${JSON.stringify(hf['transformers.js_config'])}`);
  weights.clear();
  t = performance.now();
  const lm = await OnnxCausalLm.load(join(dir, 'model.onnx'), config);
  console.log(`onnxruntime loaded it in ${((performance.now() - t) / 1000).toFixed(1)} s, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  const out = await lm.forward({ batchSize: 1, inputIds: [1, 2], attentionMask: [1, 1], positionIds: [0, 1] });
  console.log(`forward: ${out.logits.length} logits, all finite: ${out.logits.every(Number.isFinite)}, present.35.key ${out.present.key[35].length} floats`);
  await lm.release();
} finally {
  await rm(dir, { recursive: true, force: true });
}
