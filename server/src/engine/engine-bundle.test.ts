import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyTestModel } from '@mimicbot/training/testing';
import { makeTempDir, referenceGreedy, writeLayoutModel } from '../../testing/index.js';

const model = tinyTestModel(5);
const engineDir = new URL('.', import.meta.url).pathname;
// Under node_modules so the bundle resolves the external onnxruntime-node as a deployment would.
const cacheDir = new URL('../../../node_modules/.cache/', import.meta.url).pathname;
let outDir: string;
let modelRoot: string;

beforeAll(async () => {
  modelRoot = await makeTempDir();
  await writeLayoutModel(modelRoot, 'server', model);
  await mkdir(cacheDir, { recursive: true });
  outDir = await mkdtemp(join(cacheDir, 'mimicbot-engine-bundle-'));
  const common: BuildOptions = { bundle: true, platform: 'node', format: 'esm', external: ['onnxruntime-node'], logLevel: 'silent' };
  // The deployment's recipe: the app bundle, and the worker as a second entry point named engine-worker.js beside it.
  await build({
    ...common,
    stdin: {
      contents: `import { createEngine } from './engine.js';
        const engine = await createEngine({ modelDir: process.argv[2], intraOpNumThreads: 1 });
        const r = await engine.generate({ promptIds: [1, 2, 3], maxNewTokens: 6, sampling: { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 }, stopTokenIds: [] });
        await engine.close();
        console.log(JSON.stringify(r));`,
      resolveDir: engineDir,
      sourcefile: 'main.ts',
      loader: 'ts',
    },
    outfile: join(outDir, 'main.js'),
  });
  await build({ ...common, entryPoints: [join(engineDir, 'engine-worker.ts')], outfile: join(outDir, 'engine-worker.js') });
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
  await rm(modelRoot, { recursive: true, force: true });
});

describe('the engine bundled with esbuild', () => {
  it('starts its worker from engine-worker.js beside the bundle and generates', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(outDir, 'main.js'), join(modelRoot, 'server')]);
    expect(JSON.parse(stdout)).toEqual({ tokenIds: referenceGreedy(model, [1, 2, 3], 6), finishReason: 'length' });
  });
});
