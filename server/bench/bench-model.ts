/**
 * The benchmark's model folder: random weights in the GPT-2 124M shape with the real GPT-2 tokenizer,
 * written once by the training package (model.onnx, onnx/model.onnx for transformers.js, and our
 * server_decoder.onnx) and reused from `models/bench-gpt2-124m/` (git-ignored) afterwards. The quantized
 * graphs a run asks for (q8, q4: both contracts, by the training package's quantizer) are added when missing.
 * A folder whose server graphs an older builder wrote (`bench-build.json` records SERVER_GRAPH_BUILD) gets
 * them built again from its standard graphs, so the bench never measures a layout the server has moved on from.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { graphFile, readModelConfig, SERVER_DECODER_FILE, type GraphDtype } from '@mimicbot/model-format';
import { buildGpt2Tokenizer, createProgressBar, GPT2_124M, initGpt2Weights, writeModelFolder, type Gpt2Config } from '@mimicbot/training';
import { buildGpt2ServerDecoder, buildServerGraphFrom, defaultQuantizeSpec, quantizeModelFolder, externalDataPath, SERVER_GRAPH_BUILD, writeOnnxModel, writeOptionsFor } from '@mimicbot/training/onnx';

export const BENCH_MODEL_DIR = new URL('../../models/bench-gpt2-124m/', import.meta.url).pathname.replace(/\/$/, '');

const BUILD_STAMP = 'bench-build.json';

export async function ensureBenchModel(dtypes: readonly GraphDtype[] = ['fp32'], dir = BENCH_MODEL_DIR): Promise<string> {
  await rebuildStaleServerGraphs(dir);
  await ensureFp32Model(dir);
  await writeFile(join(dir, BUILD_STAMP), `${JSON.stringify({ serverGraphBuild: SERVER_GRAPH_BUILD })}\n`);
  for (const dtype of dtypes) {
    if (dtype === 'fp32' || (['standard', 'server'] as const).every((contract) => existsSync(join(dir, graphFile(dtype, contract))))) continue;
    process.stderr.write(`quantizing the benchmark model to ${dtype}\n`);
    const bar = createProgressBar(`quantize ${dtype}`, { unit: 'M params', scale: 1e6 });
    await quantizeModelFolder(dir, defaultQuantizeSpec(dtype), { onQuantize: (done, total) => bar.update(done, total) });
    bar.stop();
  }
  return dir;
}

/**
 * Server graphs written by an older builder are built again from the folder's own standard graph of the same
 * precision (the fast path's builder: the same weights, byte for byte), leaving every other file as it is.
 */
async function rebuildStaleServerGraphs(dir: string): Promise<void> {
  if (!existsSync(join(dir, 'config.json'))) return;
  const stamp = await readFile(join(dir, BUILD_STAMP), 'utf8').then((text) => JSON.parse(text) as { serverGraphBuild?: number }, () => ({ serverGraphBuild: undefined }));
  if (stamp.serverGraphBuild === SERVER_GRAPH_BUILD) return;
  const config = await readModelConfig(dir);
  for (const dtype of ['fp32', 'q8', 'q4'] as const) {
    const standard = join(dir, graphFile(dtype, 'standard'));
    const server = join(dir, graphFile(dtype, 'server'));
    if (!existsSync(server)) continue;
    if (!existsSync(standard)) {
      await rm(server); // the steps below write it anew
      await rm(externalDataPath(server), { force: true });
      continue;
    }
    process.stderr.write(`the benchmark model's ${graphFile(dtype, 'server')} predates server graph build ${SERVER_GRAPH_BUILD}: building it again from ${graphFile(dtype, 'standard')}\n`);
    await writeOnnxModel(server, await buildServerGraphFrom({ kind: 'onnx', path: standard }, config), writeOptionsFor(graphFile(dtype, 'server')));
  }
}

async function ensureFp32Model(dir: string): Promise<void> {
  const files = ['config.json', 'tokenizer.json', 'onnx/model.onnx', SERVER_DECODER_FILE];
  if (files.every((f) => existsSync(join(dir, f)))) return;
  const config: Gpt2Config = { ...GPT2_124M, vocabSize: 50257 };
  process.stderr.write(`writing the benchmark model (random GPT-2 124M weights) to ${dir}\n`);
  const initBar = createProgressBar('init weights', { unit: 'M floats', scale: 1e6 });
  const weights = initGpt2Weights(config, 124, { onProgress: (done, total) => initBar.update(done, total) });
  initBar.stop();
  const writeBar = createProgressBar('write ONNX', { unit: 'MB', scale: 1e6 });
  await writeModelFolder(
    dir,
    { config, weights, tokenizer: buildGpt2Tokenizer() },
    { overwrite: true, extraModels: { [SERVER_DECODER_FILE]: buildGpt2ServerDecoder(config, weights) }, onProgress: (done, total) => writeBar.update(done, total) },
  );
  writeBar.stop();
}
